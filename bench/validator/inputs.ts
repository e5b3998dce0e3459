/**
 * The validator bench's inputs: variations of the IG's own examples (Patient john-doe and Claim
 * Claim001), so every validator sees realistic openIMIS resources and a valid input stays valid. Each
 * variation i changes names, dates, identifiers, quantities and prices; a Claim's total is recomputed in
 * cents so the IG invariant oi-claim-1 (total = sum of quantity x unit price) holds.
 *
 * The variations carry no meta.profile: each case says what to validate against (the base type, or a
 * profile passed as an option), so that no validator validates against a profile it was not asked for.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { igPaths } from '../../harness/paths.js';

export const IG_BASE = 'https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition';
export const PATIENT_PROFILE = `${IG_BASE}/openimis-patient`;
export const CLAIM_PROFILE = `${IG_BASE}/openimis-claim`;

/**
 * openimis-claim without its invariant oi-claim-1 (the total is the sum over the items), under a URL of
 * its own. @medplum/core cannot evaluate that invariant (aggregate()), so against the published profile
 * it finds every Claim invalid and times its error path. Against this one, both validators check all
 * the rest of the profile (slices, bindings, extensions, the other invariants) on the same valid
 * inputs: the like-for-like profile ratio.
 */
export const CLAIM_PROFILE_COMPARABLE = `${IG_BASE}/openimis-claim-without-oi-claim-1`;

export function comparableClaimProfile(): fhir4.StructureDefinition {
  const profile = JSON.parse(
    readFileSync(join(igPaths().generatedResources, 'StructureDefinition-openimis-claim.json'), 'utf8'),
  ) as fhir4.StructureDefinition;
  const withoutRule = (elements: fhir4.ElementDefinition[] = []) =>
    elements.map((element) => ({
      ...element,
      ...(element.constraint ? { constraint: element.constraint.filter((c) => c.key !== 'oi-claim-1') } : {}),
    }));
  return {
    ...profile,
    id: 'openimis-claim-without-oi-claim-1',
    url: CLAIM_PROFILE_COMPARABLE,
    name: 'OpenimisClaimWithoutTotalRule',
    snapshot: { element: withoutRule(profile.snapshot?.element) },
    differential: { element: withoutRule(profile.differential?.element) },
  };
}

let comparableFolder: string | undefined;

/** A folder holding the comparable profile, for validators that load definitions from folders. */
export function comparableProfileFolder(): string {
  if (comparableFolder === undefined) {
    const folder = mkdtempSync(join(tmpdir(), 'openimis-fhir-bench-profiles-'));
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    comparableFolder = folder;
    writeFileSync(
      join(comparableFolder, 'StructureDefinition-openimis-claim-without-oi-claim-1.json'),
      JSON.stringify(comparableClaimProfile()),
    );
  }
  return comparableFolder;
}

export type BenchResource = fhir4.Patient | fhir4.Claim;

const FAMILIES = ['Doe', 'Mwangi', 'Okafor', 'Haddad', 'Nguyen', 'Silva', 'Kowalski', 'Mensah', 'Rossi'];
const GIVEN = ['John', 'Amina', 'Joseph', 'Fatima', 'Peter', 'Grace', 'Ali', 'Maria', 'Samuel', 'Zawadi'];
const STREETS = ['Market Street', 'Station Road', 'Church Lane', 'Lake Avenue', 'Hill Road'];

export function exampleResource<T extends BenchResource>(file: string): T {
  return JSON.parse(readFileSync(join(igPaths().generatedResources, file), 'utf8')) as T;
}

export function patientTemplate(): fhir4.Patient {
  return exampleResource<fhir4.Patient>('Patient-john-doe.json');
}

export function claimTemplate(): fhir4.Claim {
  return exampleResource<fhir4.Claim>('Claim-Claim001.json');
}

/** A UUID-shaped value that differs for every i (version 4 and variant nibbles in place). */
function uuidFor(i: number, salt: number): string {
  let h = (Math.imul(i + 1, 2654435761) ^ salt) >>> 0;
  let hex = '';
  for (let n = 0; n < 4; n++) {
    h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
    hex += h.toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A calendar date that is valid whatever i is (days 1 to 28). */
function dateFor(year: number, i: number): string {
  return `${year}-${pad(1 + (i % 12))}-${pad(1 + ((i * 7) % 28))}`;
}

function withoutProfile<T extends BenchResource>(resource: T): T {
  delete resource.meta;
  return resource;
}

export function patientVariant(template: fhir4.Patient, i: number): fhir4.Patient {
  const patient = structuredClone(template);
  withoutProfile(patient);
  patient.id = `patient-${i}`;
  const birthDate = dateFor(1940 + (i % 70), i);
  patient.birthDate = birthDate;
  patient.gender = i % 2 === 0 ? 'male' : 'female';
  patient.name = [
    {
      use: 'official',
      family: FAMILIES[i % FAMILIES.length]!,
      // openimis-patient allows one given name.
      given: [GIVEN[i % GIVEN.length]!],
    },
  ];
  for (const extension of patient.extension ?? []) {
    if (extension.url.endsWith('/patient-is-head')) extension.valueBoolean = i % 4 === 0;
    if (extension.url.endsWith('/patient-identification')) {
      const number = extension.extension?.find((part) => part.url === 'number');
      if (number) number.valueString = `NID-${birthDate.replaceAll('-', '')}-${pad(i % 10_000, 4)}`;
    }
  }
  patient.telecom = [{ system: 'phone', value: `+255 754 ${pad(i % 1000, 3)} ${pad((i * 13) % 1000, 3)}` }];
  const address = patient.address?.[0];
  if (address) address.line = [`${1 + (i % 200)} ${STREETS[i % STREETS.length]!}`];
  const [code, uuid] = patient.identifier ?? [];
  // The insuree code has at most 12 characters (invariant insureeCodeMustBeUnder13Chars).
  if (code) code.value = pad(i, 9);
  if (uuid) uuid.value = uuidFor(i, 0x5eed);
  return patient;
}

export function claimVariant(template: fhir4.Claim, i: number): fhir4.Claim {
  const claim = structuredClone(template);
  withoutProfile(claim);
  claim.id = `claim-${i}`;
  const [code, uuid] = claim.identifier ?? [];
  if (code) code.value = `CLM${pad(i, 7)}`;
  if (uuid) uuid.value = uuidFor(i, 0xc1a1);
  claim.patient = { reference: `Patient/patient-${i}`, display: pad(i, 9) };
  const year = 2020 + (i % 6);
  const start = dateFor(year, i);
  const lastDay = Number(start.slice(8, 10)) + (i % 3);
  const end = `${start.slice(0, 8)}${pad(lastDay)}`;
  claim.billablePeriod = { start, end };
  claim.created = `${start.slice(0, 8)}${pad(lastDay + 1)}`;
  // Prices in whole cents, so the total computed below is exact to the cent.
  let totalCents = 0;
  const items = claim.item ?? [];
  items.forEach((item, n) => {
    const quantity = n === 0 ? 1 + (i % 3) : 1 + ((i + n) % 20);
    const priceCents = n === 0 ? 2500 + (i % 40) * 25 : 5 + ((i * 7 + n) % 200);
    item.quantity = { value: quantity };
    item.unitPrice = { value: priceCents / 100, currency: 'EUR' };
    totalCents += quantity * priceCents;
  });
  claim.total = { value: totalCents / 100, currency: 'EUR' };
  const guarantee = claim.supportingInfo?.find((info) => info.sequence === 2);
  if (guarantee) guarantee.valueString = `GN-${year}-${pad(i % 10_000, 4)}`;
  return claim;
}

export interface BenchInputs {
  patients: fhir4.Patient[];
  claims: fhir4.Claim[];
}

export function benchInputs(count: number): BenchInputs {
  const patient = patientTemplate();
  const claim = claimTemplate();
  return {
    patients: Array.from({ length: count }, (_, i) => patientVariant(patient, i)),
    claims: Array.from({ length: count }, (_, i) => claimVariant(claim, i)),
  };
}
