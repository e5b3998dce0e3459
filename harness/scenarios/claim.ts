/**
 * claim: an EMR submits claims to openIMIS. Reads the price list, makes (or is given) an insured
 * patient, submits a valid claim and follows a queued answer to the end, then claims what openIMIS must
 * reject (each line checked for its reason), sends claims no server may accept (4xx, nothing stored),
 * and reads the claims back. openIMIS answers a claim with its ClaimResponse (201); Claim/$submit
 * (claim.html) answers the same way where the target declares it. Where the target asks feedback on the
 * claim, the request is read and answered once (a Communication), and a second answer is refused.
 */
import type { ScenarioDefinition, StepContext, StepDefinition } from '../runner/types.js';
import {
  INSUREE,
  OPENIMIS_INPUTS,
  PRICE_LIST,
  PROFILE,
  claimFor,
  createRestrictedService,
  establishInsuree,
  finalResponse,
  insureeStep,
  priceListStep,
  reasonsOf,
  rejectedWith,
  submitClaim,
  type ClaimLineSpec,
  type Submitted,
} from './support/openimis.js';
import { randomUUID } from 'node:crypto';
import { key } from '../runner/dsl.js';
import { igExample } from './support/ig-resources.js';
import { create, trackUnexpected } from './support/writes.js';
import { bundleOf, matchIds, parseLocation, refersTo, resourceOf } from './support/replies.js';
import { R4 } from './support/standards.js';
import type { JsonObject } from '../json.js';
import { IG } from '../openimis/payloads.js';

const CLAIM_PAGE = `${IG}/claim.html`;
const OUTCOMES = ['queued', 'complete', 'partial', 'error'];

const SUBMITTED = key<{ claimId: string; code: string; response: fhir4.ClaimResponse }>(
  'submitted-claim',
  'the submit step did not get a ClaimResponse for the valid claim',
);

/** Checks what every answer to a claim must be: a valid ClaimResponse pointing at the claim. */
function expectClaimResponse(t: StepContext, submitted: Submitted): fhir4.ClaimResponse | undefined {
  t.expect(submitted.reply).status([200, 201]).resourceType('ClaimResponse').valid(PROFILE.claimResponse);
  const response = submitted.response;
  if (!response) return undefined;
  t.expect(submitted.reply).that(
    () => OUTCOMES.includes(response.outcome),
    `expected outcome queued, complete, partial or error, found ${String(response.outcome)}`,
  );
  t.expect(submitted.reply).that(
    () =>
      submitted.claimId !== undefined && refersTo(response.request?.reference, 'Claim', submitted.claimId),
    `expected request to point at the submitted Claim, found ${JSON.stringify(response.request ?? null)}`,
  );
  return response;
}

/** Submits a claim expected to be adjudicated, and its final answer. */
async function adjudicated(
  t: StepContext,
  lines: ClaimLineSpec[],
  options: Parameters<typeof claimFor>[3] = {},
  insuree = t.load(INSUREE),
): Promise<fhir4.ClaimResponse | undefined> {
  const { claim } = claimFor(t, insuree, lines, options);
  const submitted = await submitClaim(t, claim);
  if (!expectClaimResponse(t, submitted)) return undefined;
  return finalResponse(t, submitted.response, submitted.claimId);
}

/** A rejection step: the line at `sequence` rejected with `reason` (or, when allowed, the whole claim). */
function expectRejected(
  t: StepContext,
  response: fhir4.ClaimResponse | undefined,
  sequence: number,
  reason: string,
  what: string,
): void {
  if (!response) return;
  if (!rejectedWith(response, sequence, reason))
    t.fail(
      `expected claim line ${sequence} (${what}) rejected with reason ${reason}, found adjudication reasons [${reasonsOf(response, sequence).join(', ')}]`,
    );
}

/**
 * A claim openIMIS turns down as a whole: its line rejected with `reason`, or the claim refused with a
 * 4xx and an OperationOutcome (both are how servers answer it).
 */
async function rejectedOrRefused(
  t: StepContext,
  claim: JsonObject,
  reason: string,
  what: string,
): Promise<void> {
  const submitted = await submitClaim(t, claim);
  if (submitted.reply.status >= 400 && submitted.reply.status < 500) {
    t.expect(submitted.reply).outcome();
    return;
  }
  if (!expectClaimResponse(t, submitted)) return;
  expectRejected(t, await finalResponse(t, submitted.response, submitted.claimId), 1, reason, what);
}

const needsClaims = { interactions: ['Claim:create'] };

const priceList = priceListStep(
  'The price list: medical services and items, each valid against its openIMIS profile',
  `${IG}/StructureDefinition-openimis-activitiy-definition.html and openimis-medication: the price list a claim is valued against; each entry has a Code identifier and a unit price.`,
);

const insuree = insureeStep(
  'claim-insuree',
  'An insuree with a policy in force (a Patient and its Coverage)',
  `${IG}/StructureDefinition-openimis-patient.html and openimis-coverage: a claim is for an insuree whose policy is in force on the day of care.`,
);

const submit: StepDefinition = {
  id: 'submit',
  title: 'POST Claim: a valid claim is answered with its ClaimResponse',
  says: `${CLAIM_PAGE}: openIMIS answers a submitted claim 201 with a ClaimResponse (openimis-claim-response) whose request is the claim and whose outcome is queued, complete, partial or error; adjudications use the claim-status categories and claim-rejection-reasons.`,
  needs: needsClaims,
  async run(t) {
    const { service, item } = t.load(PRICE_LIST);
    const { claim, code } = claimFor(t, t.load(INSUREE), [{ entry: service }, { entry: item }]);
    const submitted = await submitClaim(t, claim);
    const response = expectClaimResponse(t, submitted);
    if (response && submitted.claimId) t.save(SUBMITTED, { claimId: submitted.claimId, code, response });
  },
};

const submitOperation: StepDefinition = {
  id: 'submit-operation',
  title: 'POST Claim/$submit: the same answer through the operation',
  says: `${R4}/claim-operation-submit.html: $submit takes a Claim and returns a ClaimResponse.`,
  needs: { operations: ['submit'] },
  async run(t) {
    const { service } = t.load(PRICE_LIST);
    const insured = t.load(INSUREE);
    const { claim } = claimFor(t, insured, [{ entry: service }]);
    const submitted = await submitClaim(t, claim, 'submit');
    expectClaimResponse(t, submitted);
  },
};

const finalAnswer: StepDefinition = {
  id: 'final-answer',
  title: 'The valid claim ends adjudicated: every line accepted at its price-list price',
  says: `${CLAIM_PAGE}: a queued claim is re-read (ClaimResponse by id or ?request=) until its outcome is final; a valid claim for an insured patient has its lines accepted (reason 0), valuated at quantity × price-list price.`,
  needs: needsClaims,
  async run(t) {
    const submitted = t.load(SUBMITTED);
    const { service, item } = t.load(PRICE_LIST);
    const response = await finalResponse(t, submitted.response, submitted.claimId);
    if (!response) return;
    if (!['complete', 'partial'].includes(response.outcome))
      t.fail(`expected the final outcome complete or partial, found ${response.outcome}`);
    [service, item].forEach((entry, index) => {
      const sequence = index + 1;
      const line = response.item?.find((candidate) => candidate.itemSequence === sequence);
      const accepted = (line?.adjudication ?? []).filter(
        (a) =>
          a.reason?.coding?.some((c) => c.code === '0') && !a.category.coding?.some((c) => c.code === '1'),
      );
      if (accepted.length === 0)
        return t.fail(
          `expected line ${sequence} (${entry.code}) accepted (reason 0), found reasons [${reasonsOf(response, sequence).join(', ')}]`,
        );
      const valuated = accepted.at(-1)?.amount?.value;
      if (valuated !== undefined && Math.abs(valuated - entry.unitPrice) > 0.005)
        t.fail(
          `expected line ${sequence} valuated at ${entry.unitPrice} (1 × the price-list price), found ${valuated}`,
        );
    });
  },
};

const notInPriceList: StepDefinition = {
  id: 'not-in-price-list',
  title: 'A service the price list does not have is rejected (reason 2)',
  says: `${IG}/CodeSystem-claim-rejection-reasons.html: 2 NOT IN PRICE LIST.`,
  needs: needsClaims,
  async run(t) {
    const { service } = t.load(PRICE_LIST);
    const code = `NX${t
      .unique('np')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(-8)}`;
    const response = await adjudicated(t, [
      { entry: { ...service, reference: `ActivityDefinition/${code}` }, code },
    ]);
    expectRejected(t, response, 1, '2', `service ${code}, in no price list`);
  },
};

const diagnosisNotInList: StepDefinition = {
  id: 'diagnosis-not-in-list',
  title: 'A diagnosis the diagnosis list does not hold rejects the claim (reason 8)',
  says: `${IG}/CodeSystem-claim-rejection-reasons.html: 8 DIAGNOSIS NOT IN LIST.`,
  needs: needsClaims,
  async run(t) {
    const { service } = t.load(PRICE_LIST);
    const response = await adjudicated(t, [{ entry: service }], { diagnosis: 'X99X' });
    expectRejected(t, response, 1, '8', 'diagnosis X99X, in no list');
  },
};

const quantityOverLimit: StepDefinition = {
  id: 'quantity-over-limit',
  title: 'More than the service allows in a day is rejected (reason 16)',
  says: `${IG}/CodeSystem-claim-rejection-reasons.html: 16 QTY OVER LIMIT; a service given at most n times per period allows n on a one-day claim.`,
  needs: needsClaims,
  async run(t) {
    const { service } = t.load(PRICE_LIST);
    if (!service.frequency)
      return t.skip(`the price list gives service ${service.code} no frequency, so no quantity limit`);
    const quantity = service.frequency.count + 1;
    const response = await adjudicated(t, [{ entry: service, quantity }]);
    expectRejected(t, response, 1, '16', `${quantity} × ${service.code}`);
  },
};

const noActivePolicy: StepDefinition = {
  id: 'no-active-policy',
  title: 'A patient without a policy in force gets nothing (reason 3)',
  says: `${IG}/CodeSystem-claim-rejection-reasons.html: 3 NO PRODUCT FOUND (or the whole claim rejected).`,
  needs: { interactions: ['Claim:create', 'Patient:create'] },
  async run(t) {
    const { service } = t.load(PRICE_LIST);
    const uninsured = await establishInsuree(t, 'claim-uninsured', false);
    if (!uninsured) return;
    const { claim } = claimFor(t, uninsured, [{ entry: service }]);
    await rejectedOrRefused(t, claim, '3', 'an uninsured patient');
  },
};

const duplicateCode: StepDefinition = {
  id: 'duplicate-code',
  title: 'The same claim code twice is rejected (reason 6, or refused)',
  says: `${IG}/CodeSystem-claim-rejection-reasons.html: 6 DUPLICATED; a claim code is unique.`,
  needs: needsClaims,
  async run(t) {
    const { service } = t.load(PRICE_LIST);
    const first = t.load(SUBMITTED);
    const { claim } = claimFor(t, t.load(INSUREE), [{ entry: service }], { code: first.code });
    await rejectedOrRefused(t, claim, '6', `claim code ${first.code} again`);
  },
};

const useContext: StepDefinition = {
  id: 'use-context',
  title: 'A service for girls only, claimed for an adult man, is rejected (reason 4)',
  says: `${IG}/StructureDefinition-openimis-activitiy-definition.html (useContext gender, age) and ${IG}/CodeSystem-claim-rejection-reasons.html: 4 CATEGORY LIMITATION.`,
  needs: { interactions: ['Claim:create', 'ActivityDefinition:create'] },
  async run(t) {
    const restricted = await createRestrictedService(t, { gender: 'female', age: 'child' });
    if (!restricted) return;
    const response = await adjudicated(t, [{ entry: restricted }]);
    expectRejected(t, response, 1, '4', `${restricted.code} (female children) for an adult man`);
  },
};

/** A claim no server may take: 4xx with an OperationOutcome locating the fault, and nothing stored. */
function badClaim(
  id: string,
  title: string,
  element: string,
  breakIt: (claim: JsonObject) => void,
): StepDefinition {
  return {
    id,
    title,
    says: `${R4}/http.html#create and ${IG}/StructureDefinition-openimis-claim.html: a claim that breaks R4 or the openIMIS profile is refused with 4xx and an OperationOutcome, and nothing is stored.`,
    needs: { interactions: ['Claim:create', 'Claim:search-type'] },
    async run(t) {
      const { service } = t.load(PRICE_LIST);
      const { claim, code } = claimFor(t, t.load(INSUREE), [{ entry: service }]);
      breakIt(claim);
      const submitted = await submitClaim(t, claim);
      t.expect(submitted.reply).statusClass(4).outcome();
      const outcome = resourceOf<fhir4.OperationOutcome>(submitted.reply, 'OperationOutcome');
      if (outcome)
        t.expect(submitted.reply).that(
          () =>
            (outcome.issue ?? []).some((issue) =>
              [...(issue.expression ?? []), issue.details?.text ?? '', issue.diagnostics ?? ''].some((text) =>
                text.includes(element),
              ),
            ),
          `expected an issue locating ${element}, found ${JSON.stringify((outcome.issue ?? []).map((i) => i.expression ?? i.details?.text))}`,
        );
      const search = await t.get(`Claim?identifier=${encodeURIComponent(code)}`);
      t.expect(search)
        .status(200)
        .that(
          () => (bundleOf(search) ? matchIds(bundleOf(search) as fhir4.Bundle, 'Claim').length === 0 : false),
          `expected no Claim with the code ${code} stored after the refusal, found some`,
        );
    },
  };
}

const badClaims: StepDefinition[] = [
  badClaim(
    'missing-patient',
    'A claim without a patient is refused',
    'patient',
    (claim) => void delete claim.patient,
  ),
  badClaim('no-items', 'A claim without items is refused', 'item', (claim) => {
    delete claim.item;
    delete claim.total;
  }),
  badClaim(
    'broken-identifier',
    'A claim whose identifier matches no openIMIS slice is refused',
    'identifier',
    (claim) => {
      (claim.identifier as JsonObject[])[0] = { value: 'no-type' };
    },
  ),
  badClaim(
    'wrong-total',
    'A claim whose total is not the sum of its items is refused',
    'oi-claim-1',
    (claim) => {
      (claim.total as JsonObject).value = 999999;
    },
  ),
];

const reads: StepDefinition = {
  id: 'reads',
  title: 'The claim reads back by id, identifier and patient; its response by identifier',
  says: `${R4}/http.html#read and #search; openIMIS: Claim by id and identifier, Claim?patient=, ClaimResponse?identifier=.`,
  needs: { interactions: ['Claim:read', 'Claim:search-type', 'ClaimResponse:search-type'] },
  async run(t) {
    const { claimId, code } = t.load(SUBMITTED);
    const { patientId } = t.load(INSUREE);
    t.expect(await t.get(`Claim/${claimId}`))
      .status(200)
      .resourceType('Claim')
      .valid(PROFILE.claim);
    for (const [path, type] of [
      [`Claim?identifier=${encodeURIComponent(code)}`, 'Claim'],
      [`Claim?patient=${encodeURIComponent(`Patient/${patientId}`)}`, 'Claim'],
      [`ClaimResponse?identifier=${encodeURIComponent(code)}`, 'ClaimResponse'],
    ] as const) {
      const reply = await t.get(path);
      const bundle = bundleOf(reply);
      t.expect(reply).status(200).resourceType('Bundle');
      if (bundle)
        t.expect(reply).that(
          () => matchIds(bundle, type).length > 0,
          `expected ${path} to find the claim's ${type}, found none`,
        );
    }
  },
};

const FEEDBACK = key<{ claimId: string; reference: string; request: fhir4.CommunicationRequest }>(
  'feedback-request',
  'the feedback step found no feedback request to answer',
);

const FEEDBACK_STATUS_SYSTEM = `${IG}/CodeSystem/feedback-status`;

/** The openIMIS feedback status of a request (its statusReason code: 4 Selected, 8 Delivered). */
const feedbackStatus = (request: fhir4.CommunicationRequest | undefined) =>
  request?.statusReason?.coding?.find((coding) => coding.system === FEEDBACK_STATUS_SYSTEM)?.code;

const describeRequest = (request: fhir4.CommunicationRequest | undefined) =>
  `status ${String(request?.status)} with feedback status ${String(feedbackStatus(request))}`;

const feedback: StepDefinition = {
  id: 'feedback',
  title: 'Feedback asked on the claim is a valid CommunicationRequest about it',
  says: `${IG}/StructureDefinition-openimis-communication-request.html: a claim selected for feedback points at a CommunicationRequest about the claim, for its patient, active with feedback status 4 (Selected), asking the five questions.`,
  level: 'SHOULD',
  needs: { interactions: ['CommunicationRequest:read'] },
  async run(t) {
    const { claimId, response } = t.load(SUBMITTED);
    const reference = response.communicationRequest?.[0]?.reference;
    if (!reference) return t.skip('the claim response asks for no feedback (no communicationRequest)');
    const reply = await t.get(reference);
    t.expect(reply).status(200).resourceType('CommunicationRequest').valid(PROFILE.communicationRequest);
    const request = resourceOf<fhir4.CommunicationRequest>(reply, 'CommunicationRequest');
    if (!request) return;
    t.expect(reply).that(
      () => (request.about ?? []).some((about) => refersTo(about.reference, 'Claim', claimId)),
      `expected the request to be about Claim/${claimId}, found ${JSON.stringify(request.about ?? null)}`,
    );
    const patientId = parseLocation(response.patient?.reference, 'Patient')?.id;
    if (patientId)
      t.expect(reply).that(
        () => refersTo(request.subject?.reference, 'Patient', patientId),
        `expected the request's subject to be the claim's patient Patient/${patientId}, found ${String(request.subject?.reference)}`,
      );
    t.expect(reply).that(
      () => request.status === 'active' && feedbackStatus(request) === '4',
      `expected status active with feedback status 4 (Selected), found ${describeRequest(request)}`,
    );
    t.save(FEEDBACK, { claimId, reference, request });
  },
};

/** The insuree's answers to a feedback request, shaped as the IG's example feedback. */
function feedbackAnswer(claimId: string, request: fhir4.CommunicationRequest): fhir4.Communication {
  const {
    id: _id,
    text: _text,
    ...example
  } = igExample<fhir4.Communication>('Communication-Claim001-feedback.json');
  return {
    ...example,
    identifier: (example.identifier ?? []).map((identifier) => ({ ...identifier, value: randomUUID() })),
    ...(request.subject ? { subject: request.subject } : {}),
    about: [{ reference: `Claim/${claimId}` }],
  };
}

const feedbackAnswered: StepDefinition = {
  id: 'feedback-answered',
  title: 'The feedback, given once as a Communication, completes the request',
  says: `${IG}/StructureDefinition-openimis-communication.html: the insuree's answers are a Communication about the claim; once stored, the request is completed with feedback status 8 (Delivered); openIMIS keeps one feedback per claim, so a second one is refused.`,
  level: 'SHOULD',
  needs: { interactions: ['Communication:create', 'CommunicationRequest:read'] },
  async run(t) {
    const { claimId, reference, request } = t.load(FEEDBACK);
    const answer = feedbackAnswer(claimId, request);
    const stored = await create(t, answer);
    if (!stored) return;
    t.expect(await t.get(`Communication/${stored.id}`))
      .status(200)
      .valid(PROFILE.communication);
    const after = await t.get(reference);
    const completed = resourceOf<fhir4.CommunicationRequest>(after, 'CommunicationRequest');
    t.expect(after)
      .status(200)
      .that(
        () => completed?.status === 'completed' && feedbackStatus(completed) === '8',
        `expected the answered request completed with feedback status 8 (Delivered), found ${describeRequest(completed)}`,
      );
    const again = await t.post('Communication', feedbackAnswer(claimId, request));
    trackUnexpected(t, again, 'Communication');
    t.expect(again).statusClass(4).outcome();
  },
};

export const claimScenario: ScenarioDefinition = {
  id: 'claim',
  title: 'Server adjudicates claims as openIMIS does',
  description:
    'An EMR reads the price list, submits a claim for an insured patient and follows its ClaimResponse to the end; ' +
    'lines outside the price list, the diagnosis list, the quantity limits, the policy or the service use context are ' +
    'rejected with their reasons; malformed claims are refused and not stored; claims read back; feedback asked on ' +
    'the claim is answered once.',
  tags: ['openimis', 'claim', 'workflow'],
  requirements: [CLAIM_PAGE, `${R4}/claim.html`, `${R4}/claimresponse.html`],
  needs: { resources: ['Claim'] },
  inputs: OPENIMIS_INPUTS,
  steps: [
    priceList,
    insuree,
    submit,
    submitOperation,
    finalAnswer,
    notInPriceList,
    diagnosisNotInList,
    quantityOverLimit,
    noActivePolicy,
    duplicateCode,
    useContext,
    ...badClaims,
    reads,
    feedback,
    feedbackAnswered,
  ],
};
