/** rest-baseline, history: the Patient r2-create made, its versions and its delete (r22). */
import type { StepDefinition } from '../../runner/types.js';
import { bundleOf } from '../support/replies.js';
import { HTTP, R4 } from '../support/standards.js';
import { DELETED_READ_STATUS, PATIENT } from './keys.js';

export const instanceHistory: StepDefinition = {
  id: 'r22-history',
  title: "A Patient's history lists its versions newest first, its delete included",
  says: `${HTTP}#history: the history interaction answers a history Bundle, newest version first; every entry has request and response (${R4}/bundle.html, bdl-3 and bdl-4); a delete appears as an entry with request.method DELETE and no resource.`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:history-instance'] },
  async run(t) {
    const patient = t.load(PATIENT);
    const deletedReadStatus = t.recall(DELETED_READ_STATUS);
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
