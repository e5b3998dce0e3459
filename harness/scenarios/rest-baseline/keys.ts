/**
 * What the steps of rest-baseline pass to each other, each value with its type and the step that
 * makes it: r2-create makes the Patient that r3..r8 and r22 read, update and delete; r12-search makes
 * the Patients r13..r15 search for.
 */
import { key } from '../../runner/dsl.js';

/** The Patient r2-create made, as later steps know it. */
export interface BaselinePatient {
  id: string;
  versionId: string;
  resource: fhir4.Patient;
}

/** The Patients r12-search made. */
export interface SearchFixture {
  family: string;
  ids: string[];
  first: { id: string; lastUpdated: string };
}

export const PATIENT = key<BaselinePatient>('patient', 'r2-create did not create a Patient (see that step)');

/** The version r4-update made: after it, the Patient's first version is stale. */
export const UPDATED_VERSION = key<string>(
  'updated-version',
  'r4-update did not make a second version, so no ETag is stale yet',
);

/** What a read answered after r8-delete: 410 for a server that tracks deletes, 404 for one that does not. */
export const DELETED_READ_STATUS = key<number>('deleted-read-status');

export const SEARCH = key<SearchFixture>(
  'search',
  'r12-search did not create the Patients to search for (see that step)',
);
