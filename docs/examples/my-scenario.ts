/**
 * An example of your own scenario: "The server finds a Patient by identifier". Run it with
 *
 *   npx openimis-fhir test --scenarios docs/examples
 *
 * The command loads every .ts, .mts, .js and .mjs file directly in the folder and runs its default
 * export (or its export `scenarios`, a list) after the built-in scenarios. TypeScript needs no build
 * step: types are erased when the file is loaded, not checked, and `openimis-fhir` resolves to the
 * command's own scenario DSL.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { key, scenario, step } from 'openimis-fhir';

const OPENIMIS_PATIENT =
  'https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/openimis-patient';

/**
 * The IG's own example Patient, so that a server validating against the openIMIS profiles accepts it.
 * The path is relative to this file; from a folder of your own, point it at your copy of the IG output.
 */
const JOHN_DOE = new URL('../../fsh-generated/resources/Patient-john-doe.json', import.meta.url);

/** john-doe with a fresh insuree Code (at most 12 characters in the IG) and UUID, and without its id. */
function newPatient(code: string): fhir4.Patient {
  const { id: _id, text: _text, ...example } = JSON.parse(readFileSync(JOHN_DOE, 'utf8')) as fhir4.Patient;
  return {
    ...example,
    identifier: (example.identifier ?? []).map((identifier) => ({
      ...identifier,
      value: identifier.type?.coding?.[0]?.code === 'Code' ? code : randomUUID(),
    })),
  };
}

/** What the create step hands to the search step: declared once, with its type. */
const PATIENT = key<{ id: string; code: string }>(
  'patient',
  'the create step registered no Patient (see it)',
);

export default scenario({
  id: 'find-patient-by-identifier',
  title: 'The server finds a Patient by identifier',
  description:
    'An insuree registered with a unique Code is found by a search on that Code, and only that one.',
  tags: ['example', 'search'],
  requirements: ['https://hl7.org/fhir/R4/search.html#token'],
  needs: { interactions: ['Patient:create', 'Patient:search-type', 'Patient:read'] },
  steps: [
    step({
      id: 'create',
      title: 'POST Patient registers an insuree',
      says: 'https://hl7.org/fhir/R4/http.html#create: the server answers 201 with the new id in Location.',
      async run(t) {
        // A Code no other run uses: 12 hex digits.
        const code = randomUUID().replaceAll('-', '').slice(0, 12);
        const reply = await t.post('Patient', newPatient(code), {
          headers: { prefer: 'return=representation' },
        });
        t.expect(reply).status(201);
        const id = /Patient\/([^/]+)/.exec(reply.headers['location'] ?? '')?.[1];
        if (id === undefined) return t.fail('expected a Location naming the new Patient, found none');
        // Deleted at the end of the run (unless --keep).
        t.track(`Patient/${id}`);
        t.save(PATIENT, { id, code });
      },
    }),
    step({
      id: 'search-by-identifier',
      title: 'GET Patient?identifier= finds exactly that insuree',
      says: 'https://hl7.org/fhir/R4/search.html#token: identifier=[code] matches the identifier value in any system.',
      async run(t) {
        // When the create step saved nothing, load() skips this step with the key's explanation.
        const { id, code } = t.load(PATIENT);
        const found = await t.get(`Patient?identifier=${encodeURIComponent(code)}`);
        t.expect(found)
          .status(200)
          .resourceType('Bundle')
          .fhirpath("entry.where(search.mode = 'match').count()", 1)
          .fhirpath("entry.where(search.mode = 'match').resource.id", id);

        const read = await t.get(`Patient/${id}`);
        t.expect(read).status(200).valid(OPENIMIS_PATIENT);
      },
    }),
  ],
});
