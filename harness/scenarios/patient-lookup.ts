/**
 * patient-lookup: the OpenHIE client-registry flow a point of service runs before it registers someone
 * (IHE PDQm ITI-78 for the query). Look the patient up by demographics: nobody; create them on the
 * condition that no one holds their identifier: created; the same search: exactly them, with a total;
 * the conditional create again: the same patient, no duplicate. String modifiers behave as R4 says, the
 * identifier finds them, and when the demographics match several people the search answers them all
 * and the identifier chooses.
 */
import { randomUUID } from 'node:crypto';
import { key } from '../runner/dsl.js';
import type { ScenarioDefinition, StepContext, StepDefinition } from '../runner/types.js';
import { declaresConditional } from './support/capabilities.js';
import { openimisPatient } from './support/ig-resources.js';
import { byCode, marksFor } from './support/patients.js';
import { bundleOf, matchIds, parseLocation, headerOf } from './support/replies.js';
import { PDQM_ITI_78, R4 } from './support/standards.js';
import { RETURN_REPRESENTATION } from './support/writes.js';

const CLIENT_REGISTRY =
  'https://guides.ohie.org/arch-spec/openhie-component-specifications-1/openhie-client-registry';

interface Person {
  family: string;
  given: string;
  birthDate: string;
  gender: 'female' | 'male';
  code: string;
}

const PERSON = key<Person>('person', 'the first step made no person to look up');
const CREATED = key<{ id: string }>('created', 'the conditional create did not create the patient');

/** The demographics query of a person (PDQm's family + given + birthdate + gender). */
const demographics = (person: Person) =>
  `family=${encodeURIComponent(person.family)}&given=${encodeURIComponent(person.given)}&birthdate=${person.birthDate}&gender=${person.gender}`;

/** A person of this run: a family name and a Code no one else has, a given name, a birth date. */
function personFor(t: StepContext, label: string): Person {
  const marks = marksFor(t, label);
  return {
    family: marks.family,
    given: 'Alice',
    birthDate: '1958-01-30',
    gender: 'female',
    code: marks.code,
  };
}

function patientOf(person: Person): fhir4.Patient {
  const patient = openimisPatient({ family: person.family, code: person.code });
  return {
    ...patient,
    name: [{ use: 'official', family: person.family, given: [person.given] }],
    birthDate: person.birthDate,
    gender: person.gender,
  };
}

/** Searches Patients; the ids found, after checking the searchset and its total (PDQm requires one). */
async function lookUp(t: StepContext, query: string, expected: number): Promise<string[] | undefined> {
  const reply = await t.get(`Patient?${query}`);
  t.expect(reply).status(200).resourceType('Bundle').fhirpath('type', 'searchset');
  const bundle = bundleOf(reply);
  if (!bundle) return undefined;
  const ids = matchIds(bundle);
  if (ids.length !== expected)
    t.fail(`expected ${expected} Patient${expected === 1 ? '' : 's'} for ${query}, found ${ids.length}`);
  if (bundle.total === undefined)
    t.fail(`expected total in the searchset for ${query} (${PDQM_ITI_78}), found none`);
  else if (bundle.total !== expected)
    t.fail(`expected total ${expected} for ${query}, found ${bundle.total}`);
  return ids;
}

/** POST with If-None-Exist on the Code identifier; the status and the id the answer names. */
async function conditionalCreate(t: StepContext, person: Person) {
  const reply = await t.post('Patient', patientOf(person), {
    headers: { ...RETURN_REPRESENTATION, 'if-none-exist': byCode(person.code) },
  });
  const id =
    (reply.json as { id?: string } | undefined)?.id ??
    parseLocation(headerOf(reply, 'location'), 'Patient')?.id;
  if (reply.status === 201 && id) t.track(`Patient/${id}`);
  return { reply, id };
}

const conditional = { interactions: ['Patient:create', 'Patient:search-type'] };

const nobody: StepDefinition = {
  id: 'not-found',
  title: 'A demographics search for someone not yet registered finds nobody',
  says: `${PDQM_ITI_78}: no match is answered 200 with a searchset whose total is 0 and which holds no entries.`,
  needs: { interactions: ['Patient:search-type'] },
  async run(t) {
    const person = personFor(t, 'lookup');
    t.save(PERSON, person);
    await lookUp(t, demographics(person), 0);
  },
};

const create: StepDefinition = {
  id: 'create-if-absent',
  title: 'Created on the condition that nobody holds the identifier',
  says: `${R4}/http.html#ccreate: with If-None-Exist matching nothing, the create proceeds: 201.`,
  needs: conditional,
  async run(t) {
    if (!declaresConditional(t, 'Patient', 'conditionalCreate'))
      return t.skip('the target does not declare conditionalCreate on Patient');
    const person = t.load(PERSON);
    const { reply, id } = await conditionalCreate(t, person);
    t.expect(reply).status(201);
    if (reply.status === 201 && id) t.save(CREATED, { id });
    else if (reply.status === 201)
      t.fail('expected the created Patient id in the body or the Location header, found neither');
  },
};

const foundOnce: StepDefinition = {
  id: 'found-once',
  title: 'The same search now finds exactly that patient, with total 1',
  says: `${PDQM_ITI_78}: a match is answered with the patient in a searchset carrying total.`,
  needs: { interactions: ['Patient:search-type'] },
  async run(t) {
    const { id } = t.load(CREATED);
    const ids = await lookUp(t, demographics(t.load(PERSON)), 1);
    if (ids && ids.length === 1 && ids[0] !== id) t.fail(`expected Patient/${id}, found Patient/${ids[0]}`);
  },
};

const noDuplicate: StepDefinition = {
  id: 'create-again',
  title: 'The conditional create sent again answers the same patient and creates no duplicate',
  says: `${R4}/http.html#ccreate: with If-None-Exist matching one resource, the server creates nothing and answers 200 (OpenHIE: no duplicate in the client registry).`,
  needs: conditional,
  async run(t) {
    const { id } = t.load(CREATED);
    const person = t.load(PERSON);
    const { reply, id: answered } = await conditionalCreate(t, person);
    t.expect(reply).status(200);
    if (answered !== undefined && answered !== id)
      t.fail(`expected the answer to name Patient/${id}, found Patient/${answered}`);
    await lookUp(t, byCode(person.code), 1);
  },
};

const modifiers: StepDefinition = {
  id: 'string-modifiers',
  title: 'Name search: starts-with ignoring case by default, :exact matches exactly, :contains anywhere',
  says: `${R4}/search.html#string: by default a string matches when the value starts with it, ignoring case and accents; :exact requires the whole value with its case; :contains matches anywhere in the value.`,
  needs: { interactions: ['Patient:search-type'] },
  async run(t) {
    t.load(CREATED);
    const { family, code } = t.load(PERSON);
    const scoped = (query: string) => `${query}&${byCode(code)}`;
    await lookUp(t, scoped(`family=${family.slice(0, 6).toUpperCase()}`), 1);
    await lookUp(t, scoped(`family:exact=${family}`), 1);
    await lookUp(t, scoped(`family:exact=${family.toUpperCase()}`), 0);
    await lookUp(t, scoped(`family:exact=${family.slice(0, -1)}`), 0);
    await lookUp(t, scoped(`family:contains=${family.slice(3, 11)}`), 1);
    await lookUp(t, scoped(`family=${family.slice(3, 11)}`), 0);
  },
};

const byIdentifier: StepDefinition = {
  id: 'by-identifier',
  title: 'The identifier finds the patient',
  says: `${PDQM_ITI_78}: identifier is a parameter the supplier must support; the patient's identifier finds exactly them.`,
  needs: { interactions: ['Patient:search-type'] },
  async run(t) {
    const { id } = t.load(CREATED);
    const ids = await lookUp(t, byCode(t.load(PERSON).code), 1);
    if (ids?.length === 1 && ids[0] !== id) t.fail(`expected Patient/${id}, found Patient/${ids[0]}`);
  },
};

const several: StepDefinition = {
  id: 'several-matches',
  title: 'When the demographics match several people, all are answered and the identifier chooses',
  says: `${CLIENT_REGISTRY} and ${PDQM_ITI_78}: a query answers every match; the point of service chooses by identifier.`,
  needs: conditional,
  async run(t) {
    const { id } = t.load(CREATED);
    const person = t.load(PERSON);
    const namesake: Person = { ...person, code: marksFor(t, `namesake-${randomUUID()}`).code };
    const second = await conditionalCreate(t, namesake);
    t.expect(second.reply).status(201);
    if (second.reply.status !== 201 || !second.id) return;
    const ids = await lookUp(t, demographics(person), 2);
    if (ids && !(ids.includes(id) && ids.includes(second.id)))
      t.fail(
        `expected both Patient/${id} and Patient/${second.id} among the matches, found ${ids.join(', ')}`,
      );
    const chosen = await lookUp(t, `${demographics(person)}&${byCode(namesake.code)}`, 1);
    if (chosen?.length === 1 && chosen[0] !== second.id)
      t.fail(`expected the identifier to choose Patient/${second.id}, found Patient/${chosen[0]}`);
  },
};

export const patientLookupScenario: ScenarioDefinition = {
  id: 'patient-lookup',
  title: 'Server looks patients up by demographics and creates them only when absent',
  description:
    'The client-registry flow: a demographics search finds nobody, a conditional create registers the patient, the same ' +
    'search finds exactly them with a total, the conditional create again creates no duplicate; string modifiers, the ' +
    'identifier, and several matches behave as R4 and PDQm say.',
  tags: ['patient', 'pdqm', 'workflow'],
  requirements: [PDQM_ITI_78, `${R4}/http.html#ccreate`, `${R4}/search.html#string`, CLIENT_REGISTRY],
  needs: { resources: ['Patient'] },
  steps: [nobody, create, foundOnce, noDuplicate, modifiers, byIdentifier, several],
};
