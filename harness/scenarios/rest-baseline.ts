/**
 * rest-baseline: the FHIR R4 REST checks every target gets first (R1..R22). One step
 * per check, at the level the table gives it: MUST fails, SHOULD (and every "recall" item) only warns.
 * Steps pass ids and versions along with save/load: r2-create makes the Patient that r3..r8 and r22
 * read, update and delete; r12-search makes the Patients r13..r15 search for. A step whose input an
 * earlier step did not provide skips and says so.
 */
import { randomUUID } from 'node:crypto';
import type { ScenarioDefinition, StepContext, StepDefinition } from '../runner/types.js';
import { declaresConditional, resourceCapability } from './support/capabilities.js';
import {
  openimisCoverage,
  openimisPatient,
  patientMarks,
  type PatientMarks,
} from './support/ig-resources.js';
import {
  bundleOf,
  fhirId,
  headerOf,
  isSuccess,
  linkUrl,
  matchIds,
  parseLocation,
  recall,
  refersTo,
  requireSaved,
  resourceOf,
  sameIds,
  weakEtag,
} from './support/replies.js';
import {
  RETURN_REPRESENTATION,
  create,
  storedFrom,
  trackBundleResponse,
  trackUnexpected,
  type Stored,
} from './support/writes.js';

const R4 = 'https://hl7.org/fhir/R4';
const HTTP = `${R4}/http.html`;
const PDQM_ITI_78 = 'https://profiles.ihe.net/ITI/PDQm/ITI-78.html';
const MCSD_ITI_90 = 'https://profiles.ihe.net/ITI/mCSD/ITI-90.html';

const FHIR_JSON = 'application/fhir+json';
const FORM = 'application/x-www-form-urlencoded';

/** A body no R4 server may store: birthDate is not a date. */
const ruleBreakingPatient = (family: string): fhir4.Patient => ({
  resourceType: 'Patient',
  name: [{ family }],
  birthDate: 'not-a-date',
});

const marksFor = (t: StepContext, label: string): PatientMarks =>
  patientMarks(t.unique(`${label}-code`), t.unique(`${label}-family`));

/** The Code identifier has no system in openimis-patient: a bare value matches it on any server. */
const byCode = (code: string) => `identifier=${encodeURIComponent(code)}`;

/** The Patient r2-create made, as later steps know it. */
interface BaselinePatient {
  id: string;
  versionId: string;
  resource: fhir4.Patient;
}

/** The Patients r12-search made. */
interface SearchFixture {
  family: string;
  ids: string[];
  first: { id: string; lastUpdated: string };
}

const NO_PATIENT = 'r2-create did not create a Patient (see that step)';
const NO_SEARCH_FIXTURE = 'r12-search did not create the Patients to search for (see that step)';

/** A stored resource as the body of an update: the server's own version bookkeeping left out. */
function forUpdate(patient: fhir4.Patient, changes: Partial<fhir4.Patient> = {}): fhir4.Patient {
  const { meta, ...rest } = patient;
  return { ...rest, ...(meta?.profile ? { meta: { profile: meta.profile } } : {}), ...changes };
}

async function searchIds(t: StepContext, query: string): Promise<string[] | undefined> {
  const reply = await t.get(`Patient?${query}`);
  t.expect(reply).status(200).resourceType('Bundle');
  const bundle = bundleOf(reply);
  return bundle ? matchIds(bundle) : undefined;
}

// ------------------------------------------------------------------ read, write, versions

const capabilities: StepDefinition = {
  id: 'r1-capabilities',
  title: 'GET /metadata returns an R4 CapabilityStatement',
  says: `${HTTP}#capabilities: the capabilities interaction (GET [base]/metadata) returns the server's CapabilityStatement; an R4 server declares fhirVersion 4.0.x.`,
  level: 'MUST',
  async run(t) {
    const reply = await t.get('metadata');
    t.expect(reply).status(200).resourceType('CapabilityStatement');
    const fhirVersion = resourceOf<fhir4.CapabilityStatement>(reply, 'CapabilityStatement')?.fhirVersion;
    t.expect(reply).that(
      () => /^4\.0\.\d+$/.test(fhirVersion ?? ''),
      `expected fhirVersion 4.0.x, found ${fhirVersion ?? 'none'}`,
    );
    t.should(reply)
      .fhirpath("rest.where(mode = 'server').exists()")
      .header('content-type', /^application\/fhir\+json/)
      .valid();
  },
};

const createPatient: StepDefinition = {
  id: 'r2-create',
  title: 'POST creates a Patient under a server-assigned id',
  says: `${HTTP}#create: the server ignores an id in the body, assigns one and answers 201 with Location [base]/Patient/[id]/_history/[vid] (SHALL); it SHOULD send ETag and Last-Modified; the stored resource has meta.versionId and meta.lastUpdated.`,
  level: 'MUST',
  needs: { interactions: ['Patient:create'] },
  async run(t) {
    const clientId = fhirId(t.unique('client-chosen'));
    const body: fhir4.Patient = { ...openimisPatient(marksFor(t, 'r2')), id: clientId };
    const reply = await t.post('Patient', body, { headers: RETURN_REPRESENTATION });
    const stored = reply.status === 201 ? storedFrom<fhir4.Patient>(reply, 'Patient') : undefined;
    if (stored) t.track(`Patient/${stored.id}`);
    t.expect(reply).status(201);
    if (reply.status !== 201) return;

    const location = headerOf(reply, 'location');
    const fromLocation = parseLocation(location, 'Patient');
    t.expect(reply).that(
      () =>
        fromLocation?.versionId !== undefined && (stored?.id === undefined || fromLocation.id === stored.id),
      `expected Location [base]/Patient/{id}/_history/{vid} naming the new Patient, found ${location ?? 'no Location'}`,
    );
    t.should(reply).that(
      () => location?.startsWith(`${t.base}/`) === true,
      `expected an absolute Location under ${t.base}/, found ${location ?? 'none'}`,
    );
    t.expect(reply).that(
      () => stored?.id !== clientId,
      `expected the id sent in the body (${clientId}) to be ignored, found the Patient stored under it`,
    );

    let resource = stored?.resource;
    if (!resource && stored) {
      t.warn(
        'expected the created Patient in the body (Prefer: return=representation), found none; reading it',
      );
      const read = await t.get(`Patient/${stored.id}`);
      resource = resourceOf<fhir4.Patient>(read, 'Patient');
    }
    const versionId = resource?.meta?.versionId;
    t.expect(reply).that(
      () => versionId !== undefined && resource?.meta?.lastUpdated !== undefined,
      `expected the stored Patient to carry meta.versionId and meta.lastUpdated, found ${JSON.stringify(resource?.meta ?? null)}`,
    );
    if (versionId !== undefined) t.should(reply).header('etag', weakEtag(versionId));
    t.should(reply).header('last-modified');
    if (stored && resource && versionId !== undefined)
      t.save('patient', { id: stored.id, versionId, resource } satisfies BaselinePatient);
  },
};

const readPatient: StepDefinition = {
  id: 'r3-read',
  title: 'GET Patient/{id} returns the current version with its ETag',
  says: `${HTTP}#read: a read answers 200 with the resource; its ETag carries the version, W/"[meta.versionId]".`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:read'] },
  async run(t) {
    const patient = requireSaved<BaselinePatient>(t, 'patient', NO_PATIENT);
    const reply = await t.get(`Patient/${patient.id}`);
    t.expect(reply).status(200).resourceType('Patient').fhirpath('id', patient.id);
    const versionId = resourceOf<fhir4.Patient>(reply, 'Patient')?.meta?.versionId;
    if (versionId === undefined) t.fail('expected meta.versionId in the read Patient, found none');
    else t.expect(reply).header('etag', weakEtag(versionId));
    t.should(reply).valid();
  },
};

const updatePatient: StepDefinition = {
  id: 'r4-update',
  title: 'PUT with the current If-Match makes a new version',
  says: `${HTTP}#update and #concurrency: an update whose If-Match names the current version succeeds (200) and creates a new version with a new ETag.`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:update'] },
  async run(t) {
    const patient = requireSaved<BaselinePatient>(t, 'patient', NO_PATIENT);
    const reply = await t.put(`Patient/${patient.id}`, forUpdate(patient.resource, { gender: 'female' }), {
      headers: { 'if-match': weakEtag(patient.versionId), ...RETURN_REPRESENTATION },
    });
    t.expect(reply).status(200);
    if (reply.status !== 200) return;
    const versionId = storedFrom<fhir4.Patient>(reply, 'Patient')?.versionId;
    t.expect(reply).that(
      () => versionId !== undefined && versionId !== patient.versionId,
      `expected a new meta.versionId after the update (was ${patient.versionId}), found ${versionId ?? 'none'}`,
    );
    if (versionId === undefined) return;
    t.expect(reply).header('etag', weakEtag(versionId));
    t.save('updated-version', versionId);
  },
};

const staleUpdate: StepDefinition = {
  id: 'r5-stale-if-match',
  title: 'PUT with a stale If-Match is refused',
  says: `${HTTP}#concurrency: when If-Match does not name the current version the server refuses the update with 412 Precondition Failed (clients are told to handle 409 Conflict too, so 409 only warns), and SHOULD explain it in an OperationOutcome.`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:update'] },
  async run(t) {
    const patient = requireSaved<BaselinePatient>(t, 'patient', NO_PATIENT);
    requireSaved<string>(
      t,
      'updated-version',
      'r4-update did not make a second version, so no ETag is stale yet',
    );
    const reply = await t.put(`Patient/${patient.id}`, forUpdate(patient.resource), {
      headers: { 'if-match': weakEtag(patient.versionId) },
    });
    // Only a server that declares version-aware updates promises to check If-Match.
    const versionAware = resourceCapability(t, 'Patient')?.versioning === 'versioned-update';
    (versionAware || t.capabilities === undefined ? t.expect(reply) : t.should(reply)).that(
      () => reply.status === 412 || reply.status === 409,
      `expected 412 (or 409) for If-Match ${weakEtag(patient.versionId)} after the resource moved on, found ${reply.status}` +
        (versionAware
          ? ''
          : ' (the target does not declare versioning versioned-update, so this only warns)'),
    );
    if (reply.status === 409) t.should(reply).status(412);
    if (!isSuccess(reply)) t.should(reply).outcome();
  },
};

const updateIdMismatch: StepDefinition = {
  id: 'r6-update-id-mismatch',
  title: 'PUT whose body id differs from the URL, or is missing, is refused',
  says: `${HTTP}#update: the body's id must equal the [id] of the URL; with no id or another one the server answers 400 and explains it in an OperationOutcome (recall: warns only).`,
  level: 'SHOULD',
  needs: { interactions: ['Patient:create', 'Patient:update'] },
  async run(t) {
    const patient = requireSaved<BaselinePatient>(t, 'patient', NO_PATIENT);
    const otherId = fhirId(t.unique('other'));
    const mismatched = await t.put(`Patient/${patient.id}`, forUpdate(patient.resource, { id: otherId }));
    if (resourceOf<fhir4.Patient>(mismatched, 'Patient')?.id === otherId) t.track(`Patient/${otherId}`);
    t.expect(mismatched).status(400).outcome();

    const { id: _id, ...withoutId } = forUpdate(patient.resource);
    const missing = await t.put(`Patient/${patient.id}`, withoutId);
    t.expect(missing).status(400).outcome();
  },
};

const vreadPatient: StepDefinition = {
  id: 'r7-vread',
  title: 'GET Patient/{id}/_history/{vid} returns that version',
  says: `${HTTP}#vread: a version read answers 200 with the content of that version, also after later updates.`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:vread'] },
  async run(t) {
    const patient = requireSaved<BaselinePatient>(t, 'patient', NO_PATIENT);
    const reply = await t.get(`Patient/${patient.id}/_history/${patient.versionId}`);
    t.expect(reply)
      .status(200)
      .resourceType('Patient')
      .fhirpath('meta.versionId', patient.versionId)
      .fhirpath('gender', patient.resource.gender);
  },
};

const deletePatient: StepDefinition = {
  id: 'r8-delete',
  title: 'DELETE removes the Patient; reading it answers 410 Gone',
  says: `${HTTP}#delete: a delete answers 200 or 204 (202 when non-committal); a later read of the resource fails, with 410 Gone where the server tracks deletes (404 allowed otherwise, recall: warns).`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:delete', 'Patient:read'] },
  async run(t) {
    const patient = requireSaved<BaselinePatient>(t, 'patient', NO_PATIENT);
    const deleted = await t.delete(`Patient/${patient.id}`);
    t.expect(deleted).status([200, 202, 204]);
    if (!isSuccess(deleted)) return;
    const read = await t.get(`Patient/${patient.id}`);
    t.expect(read).status([404, 410]);
    t.should(read).that(
      () => read.status !== 404,
      'expected 410 Gone for a deleted Patient, found 404: the server does not seem to track deletes',
    );
    if (!isSuccess(read)) t.should(read).outcome();
    t.save('deleted-read-status', read.status);
  },
};

// ------------------------------------------------------------------ errors

const readMissing: StepDefinition = {
  id: 'r9-read-missing',
  title: 'GET of an unknown Patient answers 404',
  says: `${HTTP}#read: an unknown resource answers 404 Not Found, with an OperationOutcome (SHOULD in core; PDQm (${PDQM_ITI_78}) wants issue.code not-found).`,
  level: 'MUST',
  needs: { interactions: ['Patient:read'] },
  async run(t) {
    const reply = await t.get(`Patient/${fhirId(t.unique('does-not-exist'))}`);
    t.expect(reply).status(404);
    t.should(reply).outcome().fhirpath("issue.where(code = 'not-found').exists()");
  },
};

const unknownType: StepDefinition = {
  id: 'r10-unknown-type',
  title: 'GET of an unknown resource type answers 404',
  says: `${HTTP}#read: a request for a resource type the server does not support answers 404 Not Found (an OperationOutcome SHOULD say why).`,
  level: 'MUST',
  async run(t) {
    const reply = await t.get('NotAType');
    t.expect(reply).status(404);
    t.should(reply).outcome();
  },
};

const invalidCreate: StepDefinition = {
  id: 'r11-invalid-create',
  title: 'POST of broken JSON or a rule-breaking Patient is refused',
  says: `${HTTP}#create: content that cannot be parsed or fails basic FHIR rules answers 400, content that breaks business rules 422; each SHOULD come with an OperationOutcome.`,
  level: 'MUST',
  needs: { interactions: ['Patient:create'] },
  async run(t) {
    const broken = await t.post('Patient', '{"resourceType": "Patient", ', {
      headers: { 'content-type': FHIR_JSON },
    });
    trackUnexpected(t, broken, 'Patient');
    t.expect(broken).status(400);
    t.should(broken).outcome();

    const invalid = await t.post('Patient', ruleBreakingPatient(marksFor(t, 'r11').family));
    trackUnexpected(t, invalid, 'Patient');
    t.expect(invalid).status([400, 422]);
    t.should(invalid).outcome();
  },
};

// ------------------------------------------------------------------ search

const searchPaging: StepDefinition = {
  id: 'r12-search',
  title: 'A paged search returns a searchset with fetchable next links',
  says: `${HTTP}#search and ${R4}/search.html: a search answers a searchset Bundle whose self link shows the parameters used; further pages come as a next link the client follows as is (an absolute URL); entries carry fullUrl and search.mode match; total is optional in core but required by PDQm (${PDQM_ITI_78}).`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:search-type'] },
  async run(t) {
    const family = marksFor(t, 'r12').family;
    const created: Stored<fhir4.Patient>[] = [];
    for (let i = 0; i < 3; i += 1) {
      const stored = await create(t, openimisPatient({ ...marksFor(t, `r12-${i}`), family }));
      if (!stored) return;
      created.push(stored);
    }
    const ids = created.map((stored) => stored.id);

    const reply = await t.get(`Patient?family=${family}&_count=2`);
    t.expect(reply).status(200).resourceType('Bundle').fhirpath('type', 'searchset');
    const bundle = bundleOf(reply);
    if (!bundle) return;

    const self = linkUrl(bundle, 'self');
    const selfParams = self ? new URL(self, `${t.base}/`).searchParams : undefined;
    t.expect(reply).that(
      () => selfParams?.get('family') === family,
      `expected a self link with family=${family}, found ${self ?? 'no self link'}`,
    );
    t.should(reply).that(
      () => selfParams?.get('_count') === '2',
      `expected the self link to keep _count=2, found ${self ?? 'no self link'}`,
    );
    t.expect(reply).that(
      () =>
        (bundle.entry ?? []).every((entry) => entry.fullUrl !== undefined && entry.search?.mode === 'match'),
      `expected every entry with a fullUrl and search.mode match, found ${JSON.stringify(
        (bundle.entry ?? []).map((entry) => ({ fullUrl: entry.fullUrl, mode: entry.search?.mode })),
      )}`,
    );
    t.should(reply).fhirpath('total', 3);

    const firstPage = matchIds(bundle);
    t.should(reply).that(
      () => firstPage.length <= 2,
      `expected at most 2 entries (_count=2), found ${firstPage.length}`,
    );
    let found = firstPage;
    if (firstPage.length < ids.length) {
      const next = linkUrl(bundle, 'next');
      t.expect(reply).that(
        () => next !== undefined && /^https?:\/\//.test(next),
        `expected an absolute next link (3 matches, 2 per page), found ${next ?? 'none'}`,
      );
      if (next !== undefined && /^https?:\/\//.test(next)) {
        const page = await t.request('GET', next);
        t.expect(page).status(200).resourceType('Bundle').fhirpath('type', 'searchset');
        const nextBundle = bundleOf(page);
        found = [...firstPage, ...(nextBundle ? matchIds(nextBundle) : [])];
      }
    }
    t.expect(reply).that(
      () => sameIds([...new Set(found)], ids),
      `expected the pages to hold exactly the 3 Patients named ${family} (${ids.join(', ')}), found ${found.join(', ') || 'none'}`,
    );

    const first = created[0];
    if (first?.lastUpdated !== undefined)
      t.save('search', {
        family,
        ids,
        first: { id: first.id, lastUpdated: first.lastUpdated },
      } satisfies SearchFixture);
    else t.fail('expected the created Patient to carry meta.lastUpdated, found none');
  },
};

const searchByPost: StepDefinition = {
  id: 'r13-search-post',
  title: 'POST Patient/_search finds what GET finds',
  says: `${HTTP}#search: a search may be sent as POST [base]/[type]/_search with the parameters form-encoded, with the same results as GET (SHALL).`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:search-type'] },
  async run(t) {
    const fixture = requireSaved<SearchFixture>(t, 'search', NO_SEARCH_FIXTURE);
    const reply = await t.post('Patient/_search', `family=${fixture.family}`, {
      headers: { 'content-type': FORM },
    });
    t.expect(reply).status(200).resourceType('Bundle').fhirpath('type', 'searchset');
    const bundle = bundleOf(reply);
    const found = bundle ? matchIds(bundle) : [];
    t.expect(reply).that(
      () => sameIds(found, fixture.ids),
      `expected the 3 Patients named ${fixture.family} (${fixture.ids.join(', ')}), found ${found.join(', ') || 'none'}`,
    );
  },
};

const searchLastUpdated: StepDefinition = {
  id: 'r14-last-updated',
  title: '_lastUpdated prefixes respect the boundary',
  says: `${R4}/search.html (date prefixes) on _lastUpdated: gt excludes the instant itself, ge includes it, lt/le likewise; mCSD (${MCSD_ITI_90}) requires gt, lt, ge, le, sa and eb.`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:search-type'] },
  async run(t) {
    const { first } = requireSaved<SearchFixture>(t, 'search', NO_SEARCH_FIXTURE);
    const instant = Date.parse(first.lastUpdated);
    const shifted = (ms: number) => new Date(instant + ms).toISOString();
    const check = async (prefix: string, at: string, included: boolean, level: 'MUST' | 'SHOULD') => {
      const query = `_id=${first.id}&_lastUpdated=${prefix}${encodeURIComponent(at)}`;
      const reply = await t.get(`Patient?${query}`);
      const bundle = bundleOf(reply);
      const ids = bundle ? matchIds(bundle) : [];
      const expectation = level === 'MUST' ? t.expect(reply) : t.should(reply);
      expectation
        .status(200)
        .that(
          () => ids.includes(first.id) === included,
          `_lastUpdated=${prefix}${at} (the Patient's lastUpdated is ${first.lastUpdated}): expected it ${included ? 'found' : 'left out'}, found it ${ids.includes(first.id) ? 'found' : 'left out'}`,
        );
    };
    // The instant exactly as the server wrote it, so no precision is lost or gained.
    await check('gt', first.lastUpdated, false, 'MUST');
    await check('ge', first.lastUpdated, true, 'MUST');
    await check('lt', first.lastUpdated, false, 'MUST');
    await check('le', first.lastUpdated, true, 'MUST');
    await check('gt', shifted(-1000), true, 'MUST');
    await check('lt', shifted(1000), true, 'MUST');
    await check('sa', shifted(-1000), true, 'SHOULD');
    await check('eb', shifted(1000), true, 'SHOULD');
  },
};

const unknownParameter: StepDefinition = {
  id: 'r15-unknown-parameter',
  title: 'An unknown search parameter is ignored, or refused under handling=strict',
  says: `${HTTP}#search and ${R4}/search.html: by default an unknown parameter is ignored and left out of the self link; with Prefer: handling=strict the server refuses the search with 400 and an OperationOutcome (recall: warns only).`,
  level: 'SHOULD',
  needs: { interactions: ['Patient:create', 'Patient:search-type'] },
  async run(t) {
    const fixture = requireSaved<SearchFixture>(t, 'search', NO_SEARCH_FIXTURE);
    const query = `Patient?family=${fixture.family}&made-up-parameter=1`;
    const lenient = await t.get(query);
    t.expect(lenient).status(200).resourceType('Bundle');
    const bundle = bundleOf(lenient);
    const found = bundle ? matchIds(bundle) : [];
    t.expect(lenient).that(
      () => sameIds(found, fixture.ids),
      `expected the unknown parameter ignored and the 3 Patients named ${fixture.family} found, found ${found.join(', ') || 'none'}`,
    );
    const self = bundle ? linkUrl(bundle, 'self') : undefined;
    t.expect(lenient).that(
      () => self !== undefined && !new URL(self, `${t.base}/`).searchParams.has('made-up-parameter'),
      `expected a self link without the ignored parameter, found ${self ?? 'no self link'}`,
    );

    const strict = await t.get(query, { headers: { prefer: 'handling=strict' } });
    t.expect(strict).status(400).outcome();
  },
};

// ------------------------------------------------------------------ formats

const formats: StepDefinition = {
  id: 'r16-formats',
  title: 'Content negotiation: _format wins, unsupported formats are refused',
  says: `${HTTP}#mime-type and #parameters: _format overrides the Accept header (recall: warns only); a response format the server cannot produce answers 406 (PDQm (${PDQM_ITI_78}) wants an OperationOutcome not-supported); a request body of an unsupported type answers 415.`,
  level: 'MUST',
  async run(t) {
    const overridden = await t.get('metadata?_format=json', { headers: { accept: 'application/fhir+xml' } });
    t.should(overridden)
      .status(200)
      .header('content-type', /^application\/fhir\+json/);

    const unacceptable = await t.get('metadata', { headers: { accept: 'application/pdf' } });
    t.expect(unacceptable).status(406);
    t.should(unacceptable).outcome().fhirpath("issue.where(code = 'not-supported').exists()");

    if (!t.supports({ interactions: ['Patient:create'] })) return;
    const unsupported = await t.post('Patient', 'gender=male', { headers: { 'content-type': 'text/plain' } });
    trackUnexpected(t, unsupported, 'Patient');
    t.expect(unsupported).status(415);
    t.should(unsupported).outcome();
  },
};

// ------------------------------------------------------------------ conditional interactions

const conditionalCreate: StepDefinition = {
  id: 'r17-conditional-create',
  title: 'If-None-Exist creates once, then finds the existing Patient',
  says: `${HTTP}#ccreate: with If-None-Exist, no match creates (201), one match creates nothing and answers 200, several matches answer 412 Precondition Failed.`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:search-type'] },
  async run(t) {
    if (!declaresConditional(t, 'Patient', 'conditionalCreate'))
      t.skip('the target does not declare conditionalCreate for Patient in its CapabilityStatement');
    const marks = marksFor(t, 'r17');
    const ifNoneExist = { 'if-none-exist': byCode(marks.code) };
    const first = await create(t, openimisPatient(marks), ifNoneExist);
    if (!first) return;

    const second = await t.post('Patient', openimisPatient(marks), {
      headers: { ...ifNoneExist, ...RETURN_REPRESENTATION },
    });
    trackUnexpected(t, second, 'Patient');
    t.expect(second).that(
      () => second.status === 200,
      `expected 200 and no new Patient when If-None-Exist ${byCode(marks.code)} matches one, found ${second.status}` +
        (second.status === 201 ? ' (a second Patient: If-None-Exist is not honoured)' : ''),
    );
    const secondId = storedFrom<fhir4.Patient>(second, 'Patient')?.id;
    if (second.status === 200 && secondId !== undefined)
      t.expect(second).that(
        () => secondId === first.id,
        `expected the existing Patient/${first.id}, found Patient/${secondId}`,
      );
    const ids = await searchIds(t, byCode(marks.code));
    if (ids)
      t.expect(second).that(
        () => ids.length === 1,
        `expected 1 Patient with code ${marks.code}, found ${ids.length}`,
      );

    const duplicate = await create(t, openimisPatient(marks));
    if (!duplicate) return;
    const several = await t.post('Patient', openimisPatient(marks), { headers: ifNoneExist });
    trackUnexpected(t, several, 'Patient');
    t.expect(several).status(412);
    t.should(several).outcome();
  },
};

const conditionalUpdate: StepDefinition = {
  id: 'r18-conditional-update',
  title: 'PUT Patient?identifier creates, updates, or refuses an ambiguous match',
  says: `${HTTP}#cond-update: a conditional update with no match creates (201), with one match updates it (200), with several answers 412 Precondition Failed (recall: warns only; the PIXm feed relies on it).`,
  level: 'SHOULD',
  needs: { interactions: ['Patient:create', 'Patient:update', 'Patient:search-type'] },
  async run(t) {
    if (!declaresConditional(t, 'Patient', 'conditionalUpdate'))
      t.skip('the target does not declare conditionalUpdate for Patient in its CapabilityStatement');
    const marks = marksFor(t, 'r18');
    const url = `Patient?${byCode(marks.code)}`;
    const none = await t.put(url, openimisPatient(marks), { headers: RETURN_REPRESENTATION });
    const created = storedFrom<fhir4.Patient>(none, 'Patient');
    if (none.status === 201 && created) t.track(`Patient/${created.id}`);
    t.expect(none).status(201);
    if (none.status !== 201) return;

    const one = await t.put(
      url,
      { ...openimisPatient(marks), gender: 'female' },
      { headers: RETURN_REPRESENTATION },
    );
    t.expect(one).status(200);
    const updatedId = storedFrom<fhir4.Patient>(one, 'Patient')?.id;
    if (updatedId !== undefined && created)
      t.expect(one).that(
        () => updatedId === created.id,
        `expected Patient/${created.id} updated, found Patient/${updatedId}`,
      );

    if (!(await create(t, openimisPatient(marks)))) return;
    const several = await t.put(url, openimisPatient(marks));
    trackUnexpected(t, several, 'Patient');
    t.expect(several).status(412).outcome();
  },
};

const conditionalDelete: StepDefinition = {
  id: 'r19-conditional-delete',
  title: 'DELETE Patient?identifier deletes the match, or refuses an ambiguous one',
  says: `${HTTP}#cond-delete: no match or one match is an ordinary delete; several matches are all deleted or refused with 412 Precondition Failed (a server declaring conditionalDelete single refuses them).`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:delete', 'Patient:read', 'Patient:search-type'] },
  async run(t) {
    if (!declaresConditional(t, 'Patient', 'conditionalDelete'))
      t.skip('the target does not declare conditionalDelete for Patient in its CapabilityStatement');
    const marks = marksFor(t, 'r19');
    const url = `Patient?${byCode(marks.code)}`;

    const none = await t.delete(url);
    t.expect(none).status([200, 202, 204, 404]);
    t.should(none).status([200, 202, 204]);

    const single = await create(t, openimisPatient(marks));
    if (!single) return;
    const one = await t.delete(url);
    t.expect(one).status([200, 202, 204]);
    const read = await t.get(`Patient/${single.id}`);
    t.expect(read).status([404, 410]);

    for (let i = 0; i < 2; i += 1) if (!(await create(t, openimisPatient(marks)))) return;
    const several = await t.delete(url);
    t.expect(several).status([200, 202, 204, 412]);
    if (resourceCapability(t, 'Patient')?.conditionalDelete === 'single') t.should(several).status(412);
    const left = await searchIds(t, byCode(marks.code));
    const expected = several.status === 412 ? 2 : 0;
    if (left)
      t.expect(several).that(
        () => left.length === expected,
        `expected ${expected} Patients with code ${marks.code} left after a ${several.status}, found ${left.length}`,
      );
  },
};

// ------------------------------------------------------------------ transaction and batch

/** A transaction Bundle: a Patient known by a urn:uuid, and a Coverage whose beneficiary is that urn:uuid. */
function patientWithCoverage(marks: PatientMarks, ifNoneExist?: string): fhir4.BundleEntry[] {
  const fullUrl = `urn:uuid:${randomUUID()}`;
  return [
    {
      fullUrl,
      resource: openimisPatient(marks),
      request: { method: 'POST', url: 'Patient', ...(ifNoneExist ? { ifNoneExist } : {}) },
    },
    {
      fullUrl: `urn:uuid:${randomUUID()}`,
      resource: openimisCoverage(fullUrl),
      request: { method: 'POST', url: 'Coverage' },
    },
  ];
}

const bundle = (type: 'transaction' | 'batch', entry: fhir4.BundleEntry[]): fhir4.Bundle => ({
  resourceType: 'Bundle',
  type,
  entry,
});

const responseStatus = (entry: fhir4.BundleEntry | undefined) => entry?.response?.status ?? 'none';

const transaction: StepDefinition = {
  id: 'r20-transaction',
  title: 'A transaction resolves urn:uuid references and is all or nothing',
  says: `${HTTP}#transaction: a transaction answers 200 with a transaction-response whose entries follow the request order, each with response.status and location (etag SHOULD); references to an entry's urn:uuid fullUrl are rewritten to the new id; if any entry fails, nothing is stored and the answer is a 4xx with an OperationOutcome; ifNoneExist is honoured per entry.`,
  level: 'MUST',
  needs: {
    interactions: [
      'transaction',
      'Patient:create',
      'Coverage:create',
      'Coverage:read',
      'Patient:search-type',
    ],
  },
  async run(t) {
    const marks = marksFor(t, 'r20');
    const reply = await t.post(t.base, bundle('transaction', patientWithCoverage(marks)));
    const response = bundleOf(reply);
    trackBundleResponse(t, response);
    t.expect(reply).status(200).resourceType('Bundle').fhirpath('type', 'transaction-response');
    const [patientEntry, coverageEntry] = response?.entry ?? [];
    t.expect(reply).that(
      () => response?.entry?.length === 2,
      `expected 2 response entries, found ${response?.entry?.length ?? 0}`,
    );
    const patient = parseLocation(patientEntry?.response?.location, 'Patient');
    const coverage = parseLocation(coverageEntry?.response?.location, 'Coverage');
    t.expect(reply).that(
      () => responseStatus(patientEntry).startsWith('201') && patient !== undefined,
      `expected entry 1 (the Patient) to answer 201 with a Patient location, found ${responseStatus(patientEntry)} ${patientEntry?.response?.location ?? 'without location'}`,
    );
    t.expect(reply).that(
      () => responseStatus(coverageEntry).startsWith('201') && coverage !== undefined,
      `expected entry 2 (the Coverage) to answer 201 with a Coverage location, found ${responseStatus(coverageEntry)} ${coverageEntry?.response?.location ?? 'without location'}`,
    );
    t.should(reply).that(
      () => patientEntry?.response?.etag !== undefined && coverageEntry?.response?.etag !== undefined,
      'expected an etag in each response entry, found none in at least one',
    );
    if (patient && coverage) {
      const stored = await t.get(`Coverage/${coverage.id}`);
      const beneficiary = resourceOf<fhir4.Coverage>(stored, 'Coverage')?.beneficiary.reference;
      t.expect(stored)
        .status(200)
        .that(
          () => refersTo(beneficiary, 'Patient', patient.id),
          `expected Coverage.beneficiary rewritten to Patient/${patient.id}, found ${beneficiary ?? 'none'}`,
        );
    }

    // All or nothing: a third entry that breaks base R4 must take the two good ones down with it.
    const badMarks = marksFor(t, 'r20-bad');
    const failing = await t.post(
      t.base,
      bundle('transaction', [
        ...patientWithCoverage(badMarks),
        { resource: ruleBreakingPatient(badMarks.family), request: { method: 'POST', url: 'Patient' } },
      ]),
    );
    trackBundleResponse(t, bundleOf(failing));
    t.expect(failing).statusClass(4);
    t.should(failing).outcome();
    const leftOver = await searchIds(t, `family=${badMarks.family}`);
    if (leftOver)
      t.expect(failing).that(
        () => leftOver.length === 0,
        `expected nothing stored from the failed transaction, found Patients ${leftOver.join(', ')} named ${badMarks.family}`,
      );

    if (!declaresConditional(t, 'Patient', 'conditionalCreate')) return;
    const again = await t.post(t.base, bundle('transaction', patientWithCoverage(marks, byCode(marks.code))));
    const againResponse = bundleOf(again);
    trackBundleResponse(t, againResponse);
    t.expect(again).status(200);
    const existing = againResponse?.entry?.[0];
    t.expect(again).that(
      () => responseStatus(existing).startsWith('200'),
      `expected the Patient entry with ifNoneExist ${byCode(marks.code)} to answer 200 (it exists), found ${responseStatus(existing)}`,
    );
    const withCode = await searchIds(t, byCode(marks.code));
    if (withCode)
      t.expect(again).that(
        () => withCode.length === 1,
        `expected 1 Patient with code ${marks.code}, found ${withCode.length}`,
      );
  },
};

const batch: StepDefinition = {
  id: 'r21-batch',
  title: 'A batch processes each entry on its own',
  says: `${HTTP}#transaction: a batch answers 200 with a batch-response; an entry that fails gets its own 4xx response.status (and an OperationOutcome in response.outcome) while the others succeed.`,
  level: 'MUST',
  needs: { interactions: ['batch', 'Patient:create', 'Patient:search-type'] },
  async run(t) {
    const family = marksFor(t, 'r21').family;
    const good = () => ({
      resource: openimisPatient({ ...marksFor(t, 'r21-good'), family }),
      request: { method: 'POST', url: 'Patient' } as const,
    });
    const reply = await t.post(
      t.base,
      bundle('batch', [
        good(),
        { resource: ruleBreakingPatient(family), request: { method: 'POST', url: 'Patient' } },
        good(),
      ]),
    );
    const response = bundleOf(reply);
    trackBundleResponse(t, response);
    t.expect(reply).status(200).resourceType('Bundle').fhirpath('type', 'batch-response');
    const [first, bad, last] = response?.entry ?? [];
    t.expect(reply).that(
      () => responseStatus(first).startsWith('201') && responseStatus(last).startsWith('201'),
      `expected the good entries 1 and 3 to answer 201, found ${responseStatus(first)} and ${responseStatus(last)}`,
    );
    t.expect(reply).that(
      () => /^4\d\d/.test(responseStatus(bad)),
      `expected the bad entry 2 to answer 4xx, found ${responseStatus(bad)}`,
    );
    t.should(reply).that(
      () => bad?.response?.outcome?.resourceType === 'OperationOutcome',
      `expected an OperationOutcome in entry 2's response.outcome, found ${bad?.response?.outcome?.resourceType ?? 'none'}`,
    );
    const stored = await searchIds(t, `family=${family}`);
    if (stored)
      t.expect(reply).that(
        () => stored.length === 2,
        `expected the 2 good Patients named ${family} stored, found ${stored.length}`,
      );
  },
};

// ------------------------------------------------------------------ history

const instanceHistory: StepDefinition = {
  id: 'r22-history',
  title: "A Patient's history lists its versions newest first, its delete included",
  says: `${HTTP}#history: the history interaction answers a history Bundle, newest version first; every entry has request and response (${R4}/bundle.html, bdl-3 and bdl-4); a delete appears as an entry with request.method DELETE and no resource.`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:history-instance'] },
  async run(t) {
    const patient = requireSaved<BaselinePatient>(t, 'patient', NO_PATIENT);
    const deletedReadStatus = recall<number>(t, 'deleted-read-status');
    const reply = await t.get(`Patient/${patient.id}/_history`);
    // r8-delete found 404: the target does not track deletes, and may forget the history with them;
    // the shape of whatever history it returns is checked at the step's level all the same.
    const check = deletedReadStatus === 404 ? t.should(reply) : t.expect(reply);
    check.status(200).resourceType('Bundle').fhirpath('type', 'history');
    const entries = bundleOf(reply)?.entry ?? [];
    t.expect(reply).that(
      () => entries.every((entry) => entry.request?.method !== undefined && entry.request.url !== undefined),
      'expected request.method and request.url in every history entry (bdl-3), found an entry without',
    );
    t.expect(reply).that(
      () => entries.every((entry) => entry.response?.status !== undefined),
      'expected response.status in every history entry (bdl-4), found an entry without',
    );

    const versions = entries.map((entry) => entry.resource?.meta?.versionId).filter((v) => v !== undefined);
    check.that(
      () => versions.includes(patient.versionId),
      `expected version ${patient.versionId} in the history, found versions ${versions.join(', ') || 'none'}`,
    );
    const times = entries
      .map((entry) => entry.response?.lastModified ?? entry.resource?.meta?.lastUpdated)
      .filter((time): time is string => time !== undefined)
      .map((time) => Date.parse(time));
    t.expect(reply).that(
      () => times.every((time, index) => index === 0 || time <= (times[index - 1] ?? time)),
      `expected the entries newest first, found times ${times.map((time) => new Date(time).toISOString()).join(', ')}`,
    );

    if (deletedReadStatus === undefined) return;
    // A server that answered 404 after the delete does not track deletes: their history only warns.
    const newest = entries[0];
    (deletedReadStatus === 410 ? t.expect(reply) : t.should(reply)).that(
      () => newest?.request?.method === 'DELETE' && newest.resource === undefined,
      `expected the newest entry to be the delete (request.method DELETE, no resource), found ${newest?.request?.method ?? 'no entry'}${newest?.resource ? ' with a resource' : ''}`,
    );
  },
};

export const restBaseline: ScenarioDefinition = {
  id: 'rest-baseline',
  title: 'Server follows the FHIR R4 REST baseline',
  description:
    'The REST checks every target gets first (R1..R22): capabilities, create, read, ' +
    'version-aware update, vread, delete, errors, search and paging, content negotiation, conditional ' +
    'create/update/delete, transaction, batch and history. Each step is skipped when the target does not ' +
    'declare the interactions it needs. The Patients and Coverages it writes come from the IG examples with ' +
    'values unique to the run, so a server validating against the openIMIS profiles accepts them.',
  tags: ['rest', 'baseline'],
  requirements: [
    `${HTTP}#capabilities`,
    `${HTTP}#create`,
    `${HTTP}#read`,
    `${HTTP}#update`,
    `${HTTP}#concurrency`,
    `${HTTP}#vread`,
    `${HTTP}#delete`,
    `${HTTP}#search`,
    `${HTTP}#mime-type`,
    `${HTTP}#parameters`,
    `${HTTP}#ccreate`,
    `${HTTP}#cond-update`,
    `${HTTP}#cond-delete`,
    `${HTTP}#transaction`,
    `${HTTP}#history`,
    `${R4}/search.html`,
    `${R4}/bundle.html`,
    PDQM_ITI_78,
    MCSD_ITI_90,
  ],
  steps: [
    capabilities,
    createPatient,
    readPatient,
    updatePatient,
    staleUpdate,
    updateIdMismatch,
    vreadPatient,
    deletePatient,
    readMissing,
    unknownType,
    invalidCreate,
    searchPaging,
    searchByPost,
    searchLastUpdated,
    unknownParameter,
    formats,
    conditionalCreate,
    conditionalUpdate,
    conditionalDelete,
    transaction,
    batch,
    instanceHistory,
  ],
};
