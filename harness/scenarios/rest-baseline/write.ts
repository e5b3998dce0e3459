/**
 * rest-baseline, writing: create (r2), version-aware update (r4..r6), delete (r8), and the conditional
 * create, update and delete (r17..r19).
 */
import type { StepDefinition } from '../../runner/types.js';
import { declaresConditional, resourceCapability } from '../support/capabilities.js';
import { openimisPatient } from '../support/ig-resources.js';
import { byCode, forUpdate, marksFor, searchIds } from '../support/patients.js';
import { fhirId, headerOf, isSuccess, parseLocation, resourceOf, weakEtag } from '../support/replies.js';
import { HTTP } from '../support/standards.js';
import { RETURN_REPRESENTATION, create, storedFrom, trackUnexpected } from '../support/writes.js';
import { DELETED_READ_STATUS, PATIENT, UPDATED_VERSION } from './keys.js';

export const createPatient: StepDefinition = {
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
      t.save(PATIENT, { id: stored.id, versionId, resource });
  },
};

export const updatePatient: StepDefinition = {
  id: 'r4-update',
  title: 'PUT with the current If-Match makes a new version',
  says: `${HTTP}#update and #concurrency: an update whose If-Match names the current version succeeds (200) and creates a new version with a new ETag.`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:update'] },
  async run(t) {
    const patient = t.load(PATIENT);
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
    t.save(UPDATED_VERSION, versionId);
  },
};

export const staleUpdate: StepDefinition = {
  id: 'r5-stale-if-match',
  title: 'PUT with a stale If-Match is refused',
  says: `${HTTP}#concurrency: when If-Match does not name the current version the server refuses the update with 412 Precondition Failed (clients are told to handle 409 Conflict too, so 409 only warns), and SHOULD explain it in an OperationOutcome.`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:update'] },
  async run(t) {
    const patient = t.load(PATIENT);
    t.load(UPDATED_VERSION);
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

export const updateIdMismatch: StepDefinition = {
  id: 'r6-update-id-mismatch',
  title: 'PUT whose body id differs from the URL, or is missing, is refused',
  says: `${HTTP}#update: the body's id must equal the [id] of the URL; with no id or another one the server answers 400 and explains it in an OperationOutcome (recall: warns only).`,
  level: 'SHOULD',
  needs: { interactions: ['Patient:create', 'Patient:update'] },
  async run(t) {
    const patient = t.load(PATIENT);
    const otherId = fhirId(t.unique('other'));
    const mismatched = await t.put(`Patient/${patient.id}`, forUpdate(patient.resource, { id: otherId }));
    if (resourceOf<fhir4.Patient>(mismatched, 'Patient')?.id === otherId) t.track(`Patient/${otherId}`);
    t.expect(mismatched).status(400).outcome();

    const { id: _id, ...withoutId } = forUpdate(patient.resource);
    const missing = await t.put(`Patient/${patient.id}`, withoutId);
    t.expect(missing).status(400).outcome();
  },
};

export const deletePatient: StepDefinition = {
  id: 'r8-delete',
  title: 'DELETE removes the Patient; reading it answers 410 Gone',
  says: `${HTTP}#delete: a delete answers 200 or 204 (202 when non-committal); a later read of the resource fails, with 410 Gone where the server tracks deletes (404 allowed otherwise, recall: warns).`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:delete', 'Patient:read'] },
  async run(t) {
    const patient = t.load(PATIENT);
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
    t.save(DELETED_READ_STATUS, read.status);
  },
};

export const conditionalCreate: StepDefinition = {
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

export const conditionalUpdate: StepDefinition = {
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

export const conditionalDelete: StepDefinition = {
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
