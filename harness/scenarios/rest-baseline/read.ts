/**
 * rest-baseline, reading: the CapabilityStatement (r1), and a read and a vread of the Patient r2-create
 * made (r3, r7).
 */
import type { StepDefinition } from '../../runner/types.js';
import { resourceOf, weakEtag } from '../support/replies.js';
import { HTTP } from '../support/standards.js';
import { PATIENT } from './keys.js';

export const capabilities: StepDefinition = {
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

export const readPatient: StepDefinition = {
  id: 'r3-read',
  title: 'GET Patient/{id} returns the current version with its ETag',
  says: `${HTTP}#read: a read answers 200 with the resource; its ETag carries the version, W/"[meta.versionId]".`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:read'] },
  async run(t) {
    const patient = t.load(PATIENT);
    const reply = await t.get(`Patient/${patient.id}`);
    t.expect(reply).status(200).resourceType('Patient').fhirpath('id', patient.id);
    const versionId = resourceOf<fhir4.Patient>(reply, 'Patient')?.meta?.versionId;
    if (versionId === undefined) t.fail('expected meta.versionId in the read Patient, found none');
    else t.expect(reply).header('etag', weakEtag(versionId));
    t.should(reply).valid();
  },
};

export const vreadPatient: StepDefinition = {
  id: 'r7-vread',
  title: 'GET Patient/{id}/_history/{vid} returns that version',
  says: `${HTTP}#vread: a version read answers 200 with the content of that version, also after later updates.`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:vread'] },
  async run(t) {
    const patient = t.load(PATIENT);
    const reply = await t.get(`Patient/${patient.id}/_history/${patient.versionId}`);
    t.expect(reply)
      .status(200)
      .resourceType('Patient')
      .fhirpath('meta.versionId', patient.versionId)
      .fhirpath('gender', patient.resource.gender);
  },
};
