/**
 * Patients as the scenarios write and find them: marked with values unique to the run (see
 * ig-resources.ts), found by their Code identifier, and broken on purpose where a step needs a
 * resource no R4 server may store.
 */
import type { StepContext } from '../../runner/types.js';
import { patientMarks, type PatientMarks } from './ig-resources.js';
import { bundleOf, matchIds } from './replies.js';

/** Marks unique to this run and this label. */
export const marksFor = (t: StepContext, label: string): PatientMarks =>
  patientMarks(t.unique(`${label}-code`), t.unique(`${label}-family`));

/** The Code identifier has no system in openimis-patient: a bare value matches it on any server. */
export const byCode = (code: string) => `identifier=${encodeURIComponent(code)}`;

/** A body no R4 server may store: birthDate is not a date. */
export const ruleBreakingPatient = (family: string): fhir4.Patient => ({
  resourceType: 'Patient',
  name: [{ family }],
  birthDate: 'not-a-date',
});

/** A stored resource as the body of an update: the server's own version bookkeeping left out. */
export function forUpdate(patient: fhir4.Patient, changes: Partial<fhir4.Patient> = {}): fhir4.Patient {
  const { meta, ...rest } = patient;
  return { ...rest, ...(meta?.profile ? { meta: { profile: meta.profile } } : {}), ...changes };
}

/** The ids of the Patients a search finds (the search itself expected to answer a Bundle). */
export async function searchIds(t: StepContext, query: string): Promise<string[] | undefined> {
  const reply = await t.get(`Patient?${query}`);
  t.expect(reply).status(200).resourceType('Bundle');
  const bundle = bundleOf(reply);
  return bundle ? matchIds(bundle) : undefined;
}
