/**
 * Families enrolled over HTTP: our server (validating every write strictly, as it does by default,
 * seeded with the IG examples) takes transaction Bundles of one family each, five Patients conditional
 * on their Code identifiers and the Group naming them by urn:uuid, POSTed by autocannon. The pilot
 * answer is checked (every entry created); the run counts non-2xx answers. No peer: the figure is held
 * to an absolute target (issue 14: at least 300 families/s on 2 cores).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IG } from '../../harness/openimis/payloads.js';
import { igPaths } from '../../harness/paths.js';
import { startServer } from '../../harness/server/server.js';
import type { RunningTarget } from './targets.js';
import { figuresSince, settledRss } from './targets.js';

export const FAMILY_MEMBERS = 5;

const example = (file: string) =>
  JSON.parse(readFileSync(join(igPaths().generatedResources, file), 'utf8')) as Record<string, unknown>;

/** Our server as a vendor's sandbox starts: the IG's examples, strict validation. */
export async function startEnrollmentTarget(): Promise<RunningTarget> {
  const started = performance.now();
  const running = await startServer({ seed: true });
  const startMs = performance.now() - started;
  return { url: running.url, figures: figuresSince(startMs, 0, settledRss()), close: () => running.close() };
}

type Json = Record<string, unknown>;
let templates: { patient: Json; group: Json } | undefined;

/** A family's transaction under fresh codes: the body the load client POSTs to the base. */
export function familyBody(): string {
  templates ??= (() => {
    const { id: _p, text: _pt, ...patient } = example('Patient-john-doe.json');
    const { id: _g, text: _gt, ...group } = example('Group-doe-family.json');
    // References into the example world are left out: a family of its own.
    patient.extension = (patient.extension as Json[]).filter(
      (e) => !String(e.url).endsWith('/patient-group-reference'),
    );
    delete patient.generalPractitioner;
    return { patient, group };
  })();
  const { patient, group } = templates;
  const identifiers = (resource: Json, code: string) =>
    (resource.identifier as Json[]).map((identifier) => ({
      ...identifier,
      value:
        (identifier.type as { coding: { code: string }[] }).coding[0]?.code === 'Code' ? code : randomUUID(),
    }));
  const code = () => randomUUID().replace(/-/g, '').slice(0, 12);
  const members = Array.from({ length: FAMILY_MEMBERS }, (_, i) => {
    const memberCode = code();
    const extension = (patient.extension as Json[]).filter(
      (e) => !String(e.url).endsWith('/patient-is-head'),
    );
    if (i === 0) extension.unshift({ url: `${IG}/StructureDefinition/patient-is-head`, valueBoolean: true });
    return {
      fullUrl: `urn:uuid:${randomUUID()}`,
      resource: { ...patient, identifier: identifiers(patient, memberCode), extension },
      request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${memberCode}` },
    };
  });
  const groupCode = code();
  return JSON.stringify({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      ...members,
      {
        fullUrl: `urn:uuid:${randomUUID()}`,
        resource: {
          ...group,
          identifier: identifiers(group, groupCode),
          quantity: FAMILY_MEMBERS,
          member: members.map((m) => ({ entity: { reference: m.fullUrl } })),
        },
        request: { method: 'POST', url: 'Group', ifNoneExist: `identifier=${groupCode}` },
      },
    ],
  });
}

/** What the pilot family must be answered with: a transaction-response, every entry created. */
export function checkEnrollment(body: unknown): string | undefined {
  const bundle = body as {
    resourceType?: string;
    type?: string;
    entry?: { response?: { status?: string } }[];
  };
  if (bundle.resourceType !== 'Bundle' || bundle.type !== 'transaction-response')
    return `expected a transaction-response, found ${String(bundle.resourceType)} ${String(bundle.type)}`;
  const created = (bundle.entry ?? []).filter((entry) => entry.response?.status?.startsWith('201')).length;
  return created === FAMILY_MEMBERS + 1
    ? undefined
    : `expected ${FAMILY_MEMBERS + 1} entries created, found ${created}`;
}
