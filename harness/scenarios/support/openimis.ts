/**
 * What the claim and eligibility scenarios share: the price list as the target publishes it (or, on a
 * target without one that lets us write, a service and an item of our own), an insured patient (made
 * by the scenario, or named by the `insuree-code` input), and claims built from the IG's Claim001 with
 * the run's own codes. Everything the scenarios write is tracked for the clean-up.
 */
import { randomUUID } from 'node:crypto';
import { IG, dateFromToday, identifierValue } from '../../openimis/payloads.js';
import {
  RESOURCE_OF_KIND,
  readPriceListEntry,
  type PriceListEntry,
  type PriceListKind,
} from '../../openimis/price-list.js';
import type { JsonObject } from '../../json.js';
import {
  key,
  type Reply,
  type ScenarioInput,
  type StepContext,
  type StepDefinition,
} from '../../runner/index.js';
import { igExample as example, openimisCoverage, openimisPatient } from './ig-resources.js';
import { byCode, marksFor } from './patients.js';
import { bundleOf, headerOf, parseLocation, resourceOf } from './replies.js';
import { create } from './writes.js';

export const PROFILE = {
  service: `${IG}/StructureDefinition/openimis-activitiy-definition`,
  item: `${IG}/StructureDefinition/openimis-medication`,
  claim: `${IG}/StructureDefinition/openimis-claim`,
  claimResponse: `${IG}/StructureDefinition/openimis-claim-response`,
  eligibilityResponse: `${IG}/StructureDefinition/openimis-coverage-eligibility-response`,
  communicationRequest: `${IG}/StructureDefinition/openimis-communication-request`,
  communication: `${IG}/StructureDefinition/openimis-communication`,
} as const;

/** The inputs both scenarios take, for a target where they cannot make their own data. */
export const OPENIMIS_INPUTS: ScenarioInput[] = [
  {
    name: 'insuree-code',
    description:
      'the Code identifier of an insuree with a policy in force, for a target where the scenario cannot create a Patient and a Coverage',
  },
  {
    name: 'service-code',
    description: 'a medical service of the price list the insuree may have (default: one the scenario picks)',
  },
  {
    name: 'item-code',
    description: 'a medical item of the price list the insuree may have (default: one the scenario picks)',
  },
  {
    name: 'review-deadline-ms',
    description: 'how long to wait for a queued claim to be adjudicated, in milliseconds',
    default: '30000',
  },
];

export interface PriceList {
  service: PriceListEntry;
  item: PriceListEntry;
}

export interface Insuree {
  patientId: string;
  code: string;
  /** The Coverage the scenario made, or found for the insuree. */
  coverageId?: string;
}

export const PRICE_LIST = key<PriceList>(
  'price-list',
  'the price-list step found no service and item to claim',
);
export const INSUREE = key<Insuree>('insuree', 'the insuree step has no insured patient to claim for');

/** An adult male out-patient (the insuree the scenarios make, from the IG's john-doe) may have it. */
function suitsOurInsuree(entry: PriceListEntry): boolean {
  return (
    (entry.genders === undefined || entry.genders.has('male')) &&
    (entry.ages === undefined || entry.ages.has('adult')) &&
    (entry.careTypes === undefined || entry.careTypes.has('AMB'))
  );
}

/**
 * Reads the price list (every entry valid against its openIMIS profile) and picks the service and
 * the item to claim: the inputs when given, else entries our insuree may have; on a target whose list
 * has none, makes its own from the IG examples when the target lets it.
 */
export async function readPriceList(t: StepContext): Promise<void> {
  const picked: Partial<Record<PriceListKind, PriceListEntry>> = {};
  for (const kind of ['service', 'item'] as const) {
    const type = RESOURCE_OF_KIND[kind];
    const wanted = t.input(`${kind}-code`);
    const reply = await t.get(`${type}?${wanted ? byCode(wanted) : '_count=50'}`);
    t.expect(reply).status(200).resourceType('Bundle');
    const entries = (bundleOf(reply)?.entry ?? [])
      .map((entry) => entry.resource)
      .filter((resource) => resource?.resourceType === type) as unknown as JsonObject[];
    for (const resource of entries) t.expect(replyOf(reply, resource)).valid(PROFILE[kind]);
    const candidates = entries
      .map(readPriceListEntry)
      .filter((entry): entry is PriceListEntry => entry !== undefined);
    const choice = wanted
      ? candidates.find((entry) => entry.code === wanted)
      : candidates.find(suitsOurInsuree);
    if (wanted && !choice) {
      t.fail(`expected the ${type} with the code ${wanted} (input ${kind}-code), found none`);
      return;
    }
    picked[kind] = choice ?? (await ownEntry(t, kind));
  }
  if (picked.service && picked.item) t.save(PRICE_LIST, { service: picked.service, item: picked.item });
}

/** A reply standing for one resource of a search result, so expectations name it. */
export function replyOf(reply: Reply, resource: JsonObject): Reply {
  return { ...reply, json: resource, text: JSON.stringify(resource) };
}

/** A price-list entry of our own, from the IG example with a code unique to the run. */
async function ownEntry(t: StepContext, kind: PriceListKind): Promise<PriceListEntry | undefined> {
  const type = RESOURCE_OF_KIND[kind];
  if (!t.supports({ interactions: [`${type}:create`] }))
    return t.skip(
      `the target's price list has no ${kind} this scenario's insuree may have, and it does not declare ${type}:create; give --input ${kind}-code=CODE`,
    );
  return createEntry(t, kind, kind === 'service' ? 'S' : 'I');
}

/**
 * A price-list entry of our own, from the IG example of its kind under a code unique to the run,
 * changed by `adjust` before it is written; tracked for the clean-up.
 */
async function createEntry(
  t: StepContext,
  kind: PriceListKind,
  codePrefix: string,
  adjust: (body: JsonObject) => void = () => undefined,
): Promise<PriceListEntry | undefined> {
  const file =
    kind === 'service' ? 'ActivityDefinition-general-consultation.json' : 'Medication-paracetamol-500.json';
  const { id: _id, text: _text, ...resource } = example<JsonObject>(file);
  const code = `${codePrefix}${t
    .unique('pl')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(-10)}`;
  const body = withCode(resource, code);
  if (kind === 'service') body.name = code;
  adjust(body);
  const stored = await create(t, body as unknown as fhir4.FhirResource);
  return stored ? readPriceListEntry({ ...body, id: stored.id }) : undefined;
}

function withCode(resource: JsonObject, code: string): JsonObject {
  const identifiers =
    (resource.identifier as { type?: { coding?: { code?: string }[] }; value?: string }[]) ?? [];
  return {
    ...resource,
    identifier: identifiers.map((identifier) => ({
      ...identifier,
      value: identifier.type?.coding?.[0]?.code === 'Code' ? code : randomUUID(),
    })),
  };
}

/**
 * An insuree with a policy in force today: made by the scenario (a Patient and a Coverage for the
 * product of the target's first InsurancePlan, else RX01) where the target lets it, else the
 * `insuree-code` input and the Coverage the target holds for it.
 */
export async function establishInsuree(
  t: StepContext,
  label: string,
  insured = true,
): Promise<Insuree | undefined> {
  const given = insured ? t.input('insuree-code') : undefined;
  if (given !== undefined) return givenInsuree(t, given);
  if (!t.supports({ interactions: ['Patient:create', ...(insured ? ['Coverage:create'] : [])] }))
    return t.skip(
      `the target does not declare Patient:create${insured ? ' and Coverage:create' : ''}, so the scenario cannot make its insuree; give --input insuree-code=CODE`,
    );
  const marks = marksFor(t, label);
  const patient = await create(t, openimisPatient(marks));
  if (!patient) return undefined;
  if (!insured) return { patientId: patient.id, code: marks.code };
  const product = await productOf(t);
  const coverage: fhir4.Coverage = {
    ...openimisCoverage(`Patient/${patient.id}`),
    period: { start: dateFromToday(-30), end: dateFromToday(335) },
    class: [
      {
        type: example<fhir4.Coverage>('Coverage-doe-family-coverage.json').class?.[0]?.type ?? {},
        value: product.code,
        name: product.name,
      },
    ],
  };
  const storedCoverage = await create(t, coverage);
  if (!storedCoverage) return undefined;
  return { patientId: patient.id, code: marks.code, coverageId: storedCoverage.id };
}

async function productOf(t: StepContext): Promise<{ code: string; name: string }> {
  if (t.supports({ interactions: ['InsurancePlan:search-type'] })) {
    const reply = await t.get('InsurancePlan?_count=10');
    const plan = bundleOf(reply)
      ?.entry?.map((entry) => entry.resource)
      .find((r) => r?.resourceType === 'InsurancePlan');
    const code = plan ? identifierValue(plan as unknown as JsonObject, 'Code') : undefined;
    if (plan && code) return { code, name: (plan as fhir4.InsurancePlan).name ?? code };
  }
  return { code: 'RX01', name: 'Basic Health Cover' };
}

async function givenInsuree(t: StepContext, code: string): Promise<Insuree | undefined> {
  const reply = await t.get(`Patient?${byCode(code)}`);
  t.expect(reply).status(200);
  const patient = bundleOf(reply)
    ?.entry?.map((entry) => entry.resource)
    .find((r) => r?.resourceType === 'Patient');
  if (!patient?.id) {
    t.fail(`expected the Patient with the Code ${code} (input insuree-code), found none`);
    return undefined;
  }
  const coverages = await t.get(`Coverage?beneficiary=${encodeURIComponent(`Patient/${patient.id}`)}`);
  const coverage = bundleOf(coverages)
    ?.entry?.map((entry) => entry.resource)
    .find((r) => r?.resourceType === 'Coverage');
  return { patientId: patient.id, code, ...(coverage?.id ? { coverageId: coverage.id } : {}) };
}

export interface ClaimLineSpec {
  entry: PriceListEntry;
  quantity?: number;
  /** Claimed under another code than the entry's (to claim what the price list lacks). */
  code?: string;
}

/** A claim for the insuree, from the IG's Claim001: its lines, today's date, a code unique to the run. */
export function claimFor(
  t: StepContext,
  insuree: Insuree,
  lines: ClaimLineSpec[],
  options: { code?: string; diagnosis?: string } = {},
): { claim: JsonObject; code: string } {
  const { id: _id, text: _text, ...claim001 } = example<JsonObject>('Claim-Claim001.json');
  const code =
    options.code ??
    `CL${t
      .unique('claim')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(-14)}`;
  const template = (claim001.item as JsonObject[])[0] as JsonObject;
  const items = lines.map((line, index) => {
    const quantity = line.quantity ?? 1;
    return {
      ...template,
      extension: [
        {
          url: `${IG}/StructureDefinition/claim-item-reference`,
          valueReference: { reference: line.entry.reference, display: line.code ?? line.entry.code },
        },
      ],
      sequence: index + 1,
      category: {
        coding: [{ system: `${IG}/CodeSystem/claim-item-category`, code: line.entry.kind }],
        text: line.entry.kind,
      },
      productOrService: { text: line.code ?? line.entry.code },
      quantity: { value: quantity },
      unitPrice: {
        value: line.entry.unitPrice,
        ...(line.entry.currency ? { currency: line.entry.currency } : {}),
      },
    };
  });
  const total = items.reduce((sum, item) => sum + item.quantity.value * item.unitPrice.value, 0);
  const currency = lines[0]?.entry.currency;
  const diagnosis = claim001.diagnosis as JsonObject[];
  return {
    code,
    claim: {
      ...claim001,
      identifier: [
        { ...(claim001.identifier as JsonObject[])[0], value: code },
        { ...(claim001.identifier as JsonObject[])[1], value: randomUUID() },
      ],
      patient: { reference: `Patient/${insuree.patientId}`, display: insuree.code },
      billablePeriod: { start: dateFromToday(), end: dateFromToday() },
      created: dateFromToday(),
      ...(options.diagnosis
        ? {
            diagnosis: diagnosis.map((d) => ({
              ...d,
              diagnosisCodeableConcept: {
                coding: [{ system: `${IG}/CodeSystem/diagnosis-ICD10-level1`, code: options.diagnosis }],
              },
            })),
          }
        : {}),
      insurance: insuree.coverageId
        ? [{ sequence: 1, focal: true, coverage: { reference: `Coverage/${insuree.coverageId}` } }]
        : claim001.insurance,
      item: items,
      total: { value: Math.round(total * 100) / 100, ...(currency ? { currency } : {}) },
    },
  };
}

export interface Submitted {
  reply: Reply;
  claimId?: string;
  response?: fhir4.ClaimResponse;
}

/** POST the claim: the ClaimResponse openIMIS answers with (201 or 200), the claim tracked. */
export async function submitClaim(
  t: StepContext,
  claim: JsonObject,
  via: 'create' | 'submit' = 'create',
): Promise<Submitted> {
  const reply = await t.post(via === 'create' ? 'Claim' : 'Claim/$submit', claim);
  const response = resourceOf<fhir4.ClaimResponse>(reply, 'ClaimResponse');
  const claimId =
    parseLocation(response?.request?.reference, 'Claim')?.id ??
    resourceOf<fhir4.Claim>(reply, 'Claim')?.id ??
    parseLocation(headerOf(reply, 'location'), 'Claim')?.id;
  if (claimId && reply.status >= 200 && reply.status < 300) t.track(`Claim/${claimId}`);
  return { reply, ...(claimId ? { claimId } : {}), ...(response ? { response } : {}) };
}

/** The reason codes of the claim response's adjudications for one claim line. */
export function reasonsOf(response: fhir4.ClaimResponse | undefined, sequence: number): string[] {
  const item = response?.item?.find((candidate) => candidate.itemSequence === sequence);
  return (item?.adjudication ?? []).flatMap((a) => a.reason?.coding?.map((c) => c.code ?? '') ?? []);
}

/** Whether a line was rejected (an adjudication in claim status 1) with the reason given. */
export function rejectedWith(
  response: fhir4.ClaimResponse | undefined,
  sequence: number,
  reason: string,
): boolean {
  const item = response?.item?.find((candidate) => candidate.itemSequence === sequence);
  return (item?.adjudication ?? []).some(
    (a) => a.category.coding?.some((c) => c.code === '1') && a.reason?.coding?.some((c) => c.code === reason),
  );
}

/** The claim's final answer: the response as given, or re-read until it is no longer queued. */
export async function finalResponse(
  t: StepContext,
  first: fhir4.ClaimResponse | undefined,
  claimId: string | undefined,
): Promise<fhir4.ClaimResponse | undefined> {
  if (!first || first.outcome !== 'queued') return first;
  const path = first.id
    ? `ClaimResponse/${first.id}`
    : `ClaimResponse?request=${encodeURIComponent(`Claim/${claimId ?? ''}`)}`;
  return t.eventually(
    async () => {
      const reply = await t.get(path);
      const found =
        resourceOf<fhir4.ClaimResponse>(reply, 'ClaimResponse') ??
        (bundleOf(reply)
          ?.entry?.map((entry) => entry.resource)
          .find((r) => r?.resourceType === 'ClaimResponse') as fhir4.ClaimResponse | undefined);
      return found && found.outcome !== 'queued' ? found : undefined;
    },
    { deadlineMs: Number(t.input('review-deadline-ms') ?? '30000') },
  );
}

/**
 * A medical service of our own, restricted to one gender and age group (useContext), from the IG
 * example with a code unique to the run: what a claim for anyone else must not get.
 */
export function createRestrictedService(
  t: StepContext,
  only: { gender: string; age: string },
): Promise<PriceListEntry | undefined> {
  return createEntry(t, 'service', 'R', (body) => {
    body.useContext = (body.useContext as JsonObject[]).map((context) => {
      const kind = (context.code as { code?: string }).code;
      const keep = kind === 'gender' ? only.gender : kind === 'age' ? only.age : undefined;
      if (keep === undefined) return context;
      const concept = context.valueCodeableConcept as { coding: { code?: string }[] };
      return { ...context, valueCodeableConcept: { coding: concept.coding.filter((c) => c.code === keep) } };
    });
  });
}

/** The step both workflows open with: the price list read and checked, a service and an item picked. */
export function priceListStep(title: string, says: string): StepDefinition {
  return {
    id: 'price-list',
    title,
    says,
    needs: { interactions: ['ActivityDefinition:search-type', 'Medication:search-type'] },
    run: readPriceList,
  };
}

/** The step that makes (or takes from the inputs) the insured patient the workflow is for. */
export function insureeStep(label: string, title: string, says: string): StepDefinition {
  return {
    id: 'insuree',
    title,
    says,
    needs: { interactions: ['Patient:search-type'] },
    async run(t) {
      const found = await establishInsuree(t, label);
      if (found) t.save(INSUREE, found);
    },
  };
}
