/**
 * Claims adjudicated over HTTP: our server (validating every write strictly, as it does by default) with
 * a price list of ten services, insurees each with a policy in force, and claims of ten lines for a
 * random insuree, POSTed by autocannon. Each answer is a ClaimResponse the bench checks once (pilot);
 * the run counts non-2xx answers. No peer: @medplum/fhir-router has no adjudication, so the figure is
 * held to an absolute target (issue 13: at least 500 claims/s on 2 cores, p99 under 50 ms).
 *
 * The data: the server seeded with the IG examples, then `count` insurees (Patient + Coverage for
 * product RX01, in force today) and services S01..S10 (no frequency limit), committed through storage.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IG, dateFromToday } from '../../harness/openimis/payloads.js';
import { igPaths } from '../../harness/paths.js';
import { startServer } from '../../harness/server/server.js';
import type { Change } from '../../harness/server/storage/types.js';
import type { RunningTarget } from './targets.js';
import { figuresSince, settledRss } from './targets.js';

export const CLAIM_LINES = 10;

const example = (file: string) =>
  JSON.parse(readFileSync(join(igPaths().generatedResources, file), 'utf8')) as Record<string, unknown>;

export const insureeId = (i: number) => `insuree-${i}`;
const serviceCode = (n: number) => `S${String(n + 1).padStart(2, '0')}`;

/** Our server with the sandbox, `count` insurees with a policy, and ten services. */
export async function startAdjudicationTarget(count: number): Promise<RunningTarget> {
  const started = performance.now();
  const running = await startServer({ seed: true });
  const startMs = performance.now() - started;
  const rssEmpty = settledRss();
  const loading = performance.now();
  const { id: _p, text: _pt, ...patient } = example('Patient-john-doe.json');
  const { id: _c, text: _ct, ...coverage } = example('Coverage-doe-family-coverage.json');
  const {
    id: _s,
    text: _st,
    timingTiming: _timing,
    ...service
  } = example('ActivityDefinition-general-consultation.json');
  const services: Change[] = Array.from({ length: CLAIM_LINES }, (_, n) => ({
    kind: 'write',
    type: 'ActivityDefinition',
    id: `service-${n}`,
    method: 'PUT',
    resource: {
      ...service,
      id: `service-${n}`,
      name: serviceCode(n),
      identifier: [{ ...(service.identifier as Record<string, unknown>[])[0], value: serviceCode(n) }],
    },
  }));
  running.storage.commit(services);
  for (let first = 0; first < count; first += 500) {
    const changes: Change[] = [];
    for (let i = first; i < Math.min(count, first + 500); i++) {
      const id = insureeId(i);
      changes.push({ kind: 'write', type: 'Patient', id, method: 'PUT', resource: { ...patient, id } });
      changes.push({
        kind: 'write',
        type: 'Coverage',
        id: `policy-${i}`,
        method: 'PUT',
        resource: {
          ...coverage,
          id: `policy-${i}`,
          beneficiary: { reference: `Patient/${id}` },
          policyHolder: { reference: `Patient/${id}` },
          payor: [{ reference: `Patient/${id}` }],
          period: { start: dateFromToday(-30), end: dateFromToday(335) },
        },
      });
    }
    running.storage.commit(changes);
  }
  const loadMs = performance.now() - loading;
  return { url: running.url, figures: figuresSince(startMs, loadMs, rssEmpty), close: () => running.close() };
}

let claimTemplate: Record<string, unknown> | undefined;

/** A claim of ten services for insuree i, under a fresh code: the body the load client POSTs. */
export function claimBody(i: number): string {
  claimTemplate ??= example('Claim-Claim001.json');
  const { id: _id, text: _text, ...claim001 } = claimTemplate;
  const identifiers = claim001.identifier as Record<string, unknown>[];
  const line = (claim001.item as Record<string, unknown>[])[0] as Record<string, unknown>;
  return JSON.stringify({
    ...claim001,
    identifier: [
      { ...identifiers[0], value: `B${randomUUID().slice(0, 13)}` },
      { ...identifiers[1], value: randomUUID() },
    ],
    patient: { reference: `Patient/${insureeId(i)}` },
    insurance: [{ sequence: 1, focal: true, coverage: { reference: `Coverage/policy-${i}` } }],
    billablePeriod: { start: dateFromToday(), end: dateFromToday() },
    item: Array.from({ length: CLAIM_LINES }, (_, n) => ({
      ...line,
      sequence: n + 1,
      extension: [
        {
          url: `${IG}/StructureDefinition/claim-item-reference`,
          valueReference: { reference: `ActivityDefinition/service-${n}` },
        },
      ],
      productOrService: { text: serviceCode(n) },
      quantity: { value: 1 },
      unitPrice: { value: 40, currency: 'EUR' },
    })),
    total: { value: 40 * CLAIM_LINES, currency: 'EUR' },
  });
}

/** What the pilot claim must be answered with: a complete ClaimResponse with every line accepted. */
export function checkAdjudication(body: unknown): string | undefined {
  const response = body as {
    resourceType?: string;
    outcome?: string;
    item?: { adjudication?: { reason?: { coding?: { code?: string }[] } }[] }[];
  };
  if (response.resourceType !== 'ClaimResponse')
    return `expected a ClaimResponse, found ${String(response.resourceType)}`;
  if (response.outcome !== 'complete') return `expected outcome complete, found ${String(response.outcome)}`;
  const accepted = (response.item ?? []).filter((item) =>
    (item.adjudication ?? []).some((a) => a.reason?.coding?.[0]?.code === '0'),
  ).length;
  return accepted === CLAIM_LINES ? undefined : `expected ${CLAIM_LINES} lines accepted, found ${accepted}`;
}
