/**
 * The bench's Patients: the i-th is always the same, so the server processes generate the data they load
 * and the load client derives the ids and identifiers it asks for, without passing 100,000 resources
 * between processes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { igPaths } from '../../harness/paths.js';

export const INSUREE_SYSTEM = 'https://openimis.org/fhir/identifier/insurance-number';
export const NATIONAL_ID_SYSTEM = 'urn:oid:2.16.834.1.1';

const FAMILIES = ['Mohr', 'Müller', 'Smith', 'Nguyen', 'Okafor', 'Silva', 'Kim', 'Haddad', 'Mwangi', 'Banda'];
const GIVEN = ['Amina', 'John', 'Fatuma', 'Peter', 'Grace', 'Juma', 'Maria', 'Ali', 'Neema', 'Sam', 'Rehema'];
const GENDERS: fhir4.Patient['gender'][] = ['female', 'male', 'female', 'male', 'other', 'unknown'];

/** A bijection on 32-bit integers (Knuth's multiplicative hash), so derived values are unique per i. */
function scramble(i: number): number {
  return Math.imul(i, 2654435761) >>> 0;
}

export function patientId(i: number): string {
  return `pt-${i}`;
}

/** Each Patient carries both identifiers; the search asks for either. */
export function identifierOf(i: number, system: 'insuree' | 'national'): { system: string; value: string } {
  return system === 'insuree'
    ? { system: INSUREE_SYSTEM, value: `IN${String(i).padStart(9, '0')}` }
    : { system: NATIONAL_ID_SYSTEM, value: String(scramble(i)).padStart(10, '0') };
}

export function patient(i: number): fhir4.Patient {
  const h = scramble(i);
  // Mostly female and male, some other and unknown: gender=female matches about 45%.
  const gender = h % 10 < 8 ? GENDERS[h % 2] : GENDERS[2 + (h % 4)];
  const year = 1940 + (h % 80);
  const month = String(1 + ((h >>> 8) % 12)).padStart(2, '0');
  const day = String(1 + ((h >>> 12) % 28)).padStart(2, '0');
  return {
    resourceType: 'Patient',
    id: patientId(i),
    identifier: [
      { use: 'usual', ...identifierOf(i, 'insuree') },
      {
        use: 'official',
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NI' }] },
        ...identifierOf(i, 'national'),
      },
    ],
    active: true,
    name: [
      {
        use: 'official',
        family: `${FAMILIES[h % FAMILIES.length]}${(h >>> 4) % 1000}`,
        given: [GIVEN[(h >>> 16) % GIVEN.length]!, GIVEN[(h >>> 20) % GIVEN.length]!],
      },
    ],
    telecom: [{ system: 'phone', value: `+255${String(h % 1_000_000_000).padStart(9, '0')}`, use: 'mobile' }],
    gender,
    birthDate: `${year}-${month}-${day}`,
    address: [{ use: 'home', city: `City${h % 50}`, country: 'TZ' }],
  };
}

let insureeTemplate: Record<string, unknown> | undefined;

/**
 * The i-th insuree as openIMIS registers one (the IG's Jane Doe example, conformant to openimis-patient,
 * with her own id, Code and UUID identifiers, name, gender and birth date): what a bulk load under
 * strict validation stores.
 */
export function insuree(i: number): Record<string, unknown> {
  insureeTemplate ??= (() => {
    const path = join(igPaths().generatedResources, 'Patient-jane-doe.json');
    const { text: _narrative, ...example } = JSON.parse(readFileSync(path, 'utf8')) as Record<
      string,
      unknown
    >;
    return example;
  })();
  const base = patient(i);
  const h = scramble(i);
  const [code, uuid] = insureeTemplate.identifier as { type: unknown; value: string }[];
  return {
    ...insureeTemplate,
    id: base.id,
    identifier: [
      { ...code, value: String(i).padStart(9, '0') },
      { ...uuid, value: `${h.toString(16).padStart(8, '0')}-7b1d-4f63-9d0e-${String(i).padStart(12, '0')}` },
    ],
    // openimis-patient allows one given name.
    name: base.name?.map((name) => ({ ...name, given: name.given?.slice(0, 1) })),
    gender: base.gender === 'female' || base.gender === 'male' ? base.gender : 'other',
    birthDate: base.birthDate,
  };
}
