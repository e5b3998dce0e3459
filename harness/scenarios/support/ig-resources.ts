/**
 * Resources a scenario writes, built from the IG's own examples (read at run time from the project's IG
 * output) so that a server validating strictly against the openIMIS profiles accepts them, while a
 * generic R4 server sees ordinary resources. Each one carries values unique to the run, so a search
 * finds exactly what this run made.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { igPaths } from '../../paths.js';

const examples = new Map<string, unknown>();

/** An IG example from the project's IG output, as a fresh copy the caller may change. */
export function igExample<T>(file: string): T {
  if (!examples.has(file))
    examples.set(file, JSON.parse(readFileSync(join(igPaths().generatedResources, file), 'utf8')));
  // Deep copy: callers change what they get.
  return structuredClone(examples.get(file)) as T;
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * The values that make a Patient this run's own: a Code identifier (the IG invariant
 * insureeCodeMustBeUnder13Chars allows at most 12 characters) and a family name. Both are of fixed
 * length, so one is never a prefix of another: string search matches by prefix.
 */
export interface PatientMarks {
  code: string;
  family: string;
}

/** Marks derived from run-unique values (`t.unique()`), whatever their length. */
export function patientMarks(uniqueCode: string, uniqueFamily: string): PatientMarks {
  return { code: `c${digest(uniqueCode).slice(0, 11)}`, family: `Rb${digest(uniqueFamily).slice(0, 14)}` };
}

const isCodeIdentifier = (identifier: fhir4.Identifier) => identifier.type?.coding?.[0]?.code === 'Code';

/**
 * An openimis-patient from the IG's john-doe example: no id, a fresh Code identifier and family name, a
 * fresh UUID identifier. The optional references into the example world (Group, general practitioner)
 * are dropped, as a server enforcing referential integrity would refuse them; the address location
 * reference stays because the profile requires it.
 */
export function openimisPatient(marks: PatientMarks): fhir4.Patient {
  const { id: _id, meta, text: _text, ...example } = igExample<fhir4.Patient>('Patient-john-doe.json');
  const { generalPractitioner: _gp, ...patient } = example;
  return {
    ...patient,
    ...(meta?.profile ? { meta: { profile: meta.profile } } : {}),
    extension: (patient.extension ?? []).filter(
      (extension) => !extension.url.endsWith('/patient-group-reference'),
    ),
    identifier: (patient.identifier ?? []).map((identifier) => ({
      ...identifier,
      value: isCodeIdentifier(identifier) ? marks.code : randomUUID(),
    })),
    name: (patient.name ?? []).map((name, index) => (index === 0 ? { ...name, family: marks.family } : name)),
  };
}

/**
 * An openimis-coverage from the IG's doe-family example whose beneficiary, policy holder and payor are
 * all `patient` (a reference, or the urn:uuid of a Patient in the same transaction), with a fresh UUID.
 */
export function openimisCoverage(patient: string): fhir4.Coverage {
  const {
    id: _id,
    meta,
    text: _text,
    ...example
  } = igExample<fhir4.Coverage>('Coverage-doe-family-coverage.json');
  return {
    ...example,
    ...(meta?.profile ? { meta: { profile: meta.profile } } : {}),
    identifier: (example.identifier ?? []).map((identifier) => ({ ...identifier, value: randomUUID() })),
    beneficiary: { reference: patient },
    policyHolder: { reference: patient },
    payor: [{ reference: patient }],
  };
}
