/**
 * The sandbox a seeded server starts with: the IG's examples (a price list, the Doe family, the
 * products) date their policy in 2025, so a vendor trying the server today would find no insuree in
 * force. This adds the family's policy renewed around today: John Doe's Coverage for product RX01,
 * from six months ago to six months ahead.
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../../json.js';
import { dateFromToday } from '../../openimis/payloads.js';
import type { Storage } from '../storage/types.js';

export const SANDBOX_POLICY_ID = 'doe-family-coverage-current';

export function seedSandboxPolicy(storage: Storage): void {
  const example = storage.read('Coverage', 'doe-family-coverage')?.resource as JsonObject | undefined;
  if (!example || storage.read('Coverage', SANDBOX_POLICY_ID)) return;
  const { meta: _meta, text: _text, ...coverage } = example;
  const identifiers = (coverage.identifier as JsonObject[] | undefined) ?? [];
  storage.commit([
    {
      kind: 'write',
      type: 'Coverage',
      id: SANDBOX_POLICY_ID,
      method: 'PUT',
      resource: {
        ...coverage,
        id: SANDBOX_POLICY_ID,
        identifier: identifiers.map((identifier) => ({ ...identifier, value: randomUUID() })),
        status: 'active',
        period: { start: dateFromToday(-180), end: dateFromToday(185) },
      },
    },
  ]);
}
