/**
 * eligibility: before care, a facility asks what an insuree's policy still covers. A
 * CoverageEligibilityRequest for an insured patient (one item, one service) is answered with a valid
 * CoverageEligibilityResponse: the request echoed, outcome complete, the policy in force with its
 * benefits; after a claim for the service, the counts left go down. A patient without a policy is not in
 * force; a malformed enquiry is refused.
 *
 * The IG's eligibility response forbids `insurance.inforce` (openIMIS sends an insurance entry only for a
 * policy in force), so "in force" is an insurance entry whose `inforce`, when given, is true.
 */
import { key } from '../runner/dsl.js';
import type { ScenarioDefinition, StepDefinition } from '../runner/types.js';
import { IG } from '../openimis/payloads.js';
import {
  INSUREE,
  OPENIMIS_INPUTS,
  PRICE_LIST,
  claimFor,
  establishInsuree,
  finalResponse,
  insureeStep,
  priceListStep,
  submitClaim,
} from './support/openimis.js';
import { ask, enquiry, inForce, type EligibilityResponse } from './support/eligibility.js';
import { R4 } from './support/standards.js';

const ELIGIBILITY_PAGE = `${IG}/eligibility.html`;

type Response = EligibilityResponse;

const FIRST_ANSWER = key<Response>('first-answer', 'the enquiry step got no eligibility response');

/** A count left in the benefit package (visits_left...), or an item's item_left. */
function countLeft(response: Response, benefit: string, itemName?: string): number | undefined {
  for (const insurance of inForce(response))
    for (const item of insurance.item ?? []) {
      if (itemName !== undefined && item.name !== itemName) continue;
      for (const entry of item.benefit ?? [])
        if (entry.type.coding?.some((c) => c.code === benefit) && entry.allowedUnsignedInt !== undefined)
          return entry.allowedUnsignedInt;
    }
  return undefined;
}

const priceList = priceListStep(
  'The price list, for the item and the service to ask about',
  `${IG}/StructureDefinition-openimis-activitiy-definition.html and openimis-medication.`,
);

const insuree = insureeStep(
  'eligibility-insuree',
  'An insuree with a policy in force',
  `${IG}/StructureDefinition-openimis-coverage.html: eligibility is asked for an insuree with a policy.`,
);

const ask1: StepDefinition = {
  id: 'enquiry',
  title: 'An enquiry for an insured patient: in force, with the benefits left',
  says: `${ELIGIBILITY_PAGE} and ${R4}/coverageeligibilityresponse.html: the response echoes the request, its outcome is complete, and the policy in force is listed with its benefit period and what is left.`,
  needs: { interactions: ['CoverageEligibilityRequest:create'] },
  async run(t) {
    const response = await ask(t, enquiry(t.load(INSUREE), t.recall(PRICE_LIST)));
    if (!response) return;
    if (inForce(response).length === 0)
      return t.fail('expected the policy in force among insurance, found no insurance in force');
    for (const insurance of inForce(response))
      if (!insurance.benefitPeriod?.start || !insurance.benefitPeriod.end)
        t.fail('expected each policy in force to give its benefit period (start and end)');
    t.save(FIRST_ANSWER, response);
  },
};

const afterClaim: StepDefinition = {
  id: 'after-a-claim',
  title: 'After a claim for the service, what is left went down',
  says: `${ELIGIBILITY_PAGE}: the counts left (visits_left, item_left) account for the claims the insuree made.`,
  needs: { interactions: ['CoverageEligibilityRequest:create', 'Claim:create'] },
  async run(t) {
    const first = t.load(FIRST_ANSWER);
    const list = t.load(PRICE_LIST);
    const insured = t.load(INSUREE);
    const { claim } = claimFor(t, insured, [{ entry: list.service }]);
    const submitted = await submitClaim(t, claim);
    t.expect(submitted.reply).status([200, 201]);
    const adjudicated = await finalResponse(t, submitted.response, submitted.claimId);
    const accepted = adjudicated?.item?.[0]?.adjudication?.some(
      (a) => a.reason?.coding?.some((c) => c.code === '0') && !a.category.coding?.some((c) => c.code === '1'),
    );
    if (!accepted) return t.skip('the claim for the service was not accepted, so nothing was used');
    const second = await ask(t, enquiry(insured, list));
    if (!second) return;
    const compared = [
      ['visits_left', undefined],
      ['item_left', list.service.code],
    ] as const;
    let reported = 0;
    for (const [benefit, name] of compared) {
      const before = countLeft(first, benefit, name);
      const after = countLeft(second, benefit, name);
      if (before === undefined || after === undefined) continue;
      reported += 1;
      if (after !== Math.max(0, before - 1))
        t.fail(
          `expected ${benefit}${name ? ` for ${name}` : ''} to go from ${before} to ${Math.max(0, before - 1)} after the claim, found ${after}`,
        );
    }
    if (reported === 0)
      t.warn('the responses report neither visits_left nor item_left, so nothing could be compared');
  },
};

const noPolicy: StepDefinition = {
  id: 'no-policy',
  title: 'A patient without a policy is not in force',
  says: `${R4}/coverageeligibilityresponse.html: insurance.inforce false, or no insurance, for a patient with no policy.`,
  needs: { interactions: ['CoverageEligibilityRequest:create', 'Patient:create'] },
  async run(t) {
    const uninsured = await establishInsuree(t, 'eligibility-uninsured', false);
    if (!uninsured) return;
    const response = await ask(t, enquiry(uninsured, t.recall(PRICE_LIST)));
    if (response && inForce(response).length > 0)
      t.fail(
        `expected no insurance in force for a patient without a policy, found ${inForce(response).length}`,
      );
  },
};

const malformed: StepDefinition = {
  id: 'malformed',
  title: 'A malformed enquiry is refused with an OperationOutcome',
  says: `${R4}/http.html#create: a resource that breaks R4 (here, no patient) is refused with 4xx and an OperationOutcome.`,
  needs: { interactions: ['CoverageEligibilityRequest:create'] },
  async run(t) {
    const { patient: _patient, ...body } = enquiry(t.load(INSUREE), t.recall(PRICE_LIST));
    t.expect(await t.post('CoverageEligibilityRequest', body))
      .statusClass(4)
      .outcome();
  },
};

export const eligibilityScenario: ScenarioDefinition = {
  id: 'eligibility',
  title: 'Server answers eligibility enquiries as openIMIS does',
  description:
    'A facility asks what an insuree is still entitled to: the policy in force, its benefit period and the counts ' +
    'left, which go down after a claim; a patient without a policy is not in force; a malformed enquiry is refused.',
  tags: ['openimis', 'eligibility', 'workflow'],
  requirements: [
    ELIGIBILITY_PAGE,
    `${R4}/coverageeligibilityrequest.html`,
    `${R4}/coverageeligibilityresponse.html`,
  ],
  needs: { resources: ['CoverageEligibilityRequest'] },
  inputs: OPENIMIS_INPUTS,
  steps: [priceList, insuree, ask1, afterClaim, noPolicy, malformed],
};
