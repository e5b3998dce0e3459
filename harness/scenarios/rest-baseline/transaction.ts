/** rest-baseline, Bundles: an atomic transaction with urn:uuid references (r20) and a batch (r21). */
import { randomUUID } from 'node:crypto';
import type { StepDefinition } from '../../runner/types.js';
import { declaresConditional } from '../support/capabilities.js';
import { openimisCoverage, openimisPatient, type PatientMarks } from '../support/ig-resources.js';
import { byCode, marksFor, ruleBreakingPatient, searchIds } from '../support/patients.js';
import { bundleOf, parseLocation, refersTo, resourceOf } from '../support/replies.js';
import { HTTP } from '../support/standards.js';
import { trackBundleResponse } from '../support/writes.js';

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

export const transaction: StepDefinition = {
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

export const batch: StepDefinition = {
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
