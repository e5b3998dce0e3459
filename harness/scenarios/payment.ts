/**
 * payment: openIMIS pays health facilities for their valuated claims through bills. The scenario makes a
 * claim valuated (price list, insuree, a claim of one service, its final answer), finds the bill the
 * target issues for it (an openimis-invoice-bill to the claim's provider whose line carries the claim's
 * code), pays it with a PaymentNotice and its PaymentReconciliation, and sees the bill move on, its
 * amounts adding up. A payment for an unknown bill, or of a negative amount, is refused and changes
 * nothing.
 */
import { randomUUID } from 'node:crypto';
import { IG } from '../openimis/payloads.js';
import { key } from '../runner/dsl.js';
import type { ScenarioDefinition, StepContext, StepDefinition } from '../runner/types.js';
import {
  INSUREE,
  OPENIMIS_INPUTS,
  PRICE_LIST,
  claimFor,
  finalResponse,
  insureeStep,
  priceListStep,
  submitClaim,
} from './support/openimis.js';
import { invoiceStatus, pay } from './support/payments.js';
import { bundleOf } from './support/replies.js';
import { R4 } from './support/standards.js';
import { trackUnexpected } from './support/writes.js';

const BILL_PROFILE = `${IG}/StructureDefinition/openimis-invoice-bill`;
const CLAIM_STATUS_VALUATED = '16';

const VALUATED = key<{ code: string; provider: string; approved: number; currency?: string }>(
  'valuated',
  'the claim step got no valuated claim to bill',
);
const BILL = key<{ id: string; total: number; currency?: string }>('bill', 'the bill step found no bill');

/** The amount a claim response valuated (its total in claim status 16). */
function valuatedAmount(response: fhir4.ClaimResponse): fhir4.Money | undefined {
  return response.total?.find((total) => total.category.coding?.some((c) => c.code === CLAIM_STATUS_VALUATED))
    ?.amount;
}

/** Whether a bill's lines carry the claim's code (openIMIS puts a line's own code in the display). */
const billsClaim = (bill: fhir4.Invoice, code: string) =>
  (bill.lineItem ?? []).some((line) =>
    (line.priceComponent ?? []).some((component) => component.code?.coding?.some((c) => c.display === code)),
  );

/** The sum of a bill's base price components. */
const linesTotal = (bill: fhir4.Invoice) =>
  (bill.lineItem ?? [])
    .flatMap((line) => line.priceComponent ?? [])
    .filter((component) => component.type === 'base')
    .reduce((sum, component) => sum + (component.amount?.value ?? 0), 0);

async function paymentsFor(t: StepContext, billId: string): Promise<number | undefined> {
  const reply = await t.get(
    `PaymentNotice?request=${encodeURIComponent(`Invoice/${billId}`)}&_summary=count`,
  );
  return bundleOf(reply)?.total;
}

const priceList = priceListStep(
  'The price list, for the service to claim',
  `${IG}/StructureDefinition-openimis-activitiy-definition.html: a claim is priced from the price list.`,
);

const insuree = insureeStep(
  'payment-insuree',
  'An insuree with a policy in force, whose care is billed',
  `${IG}/StructureDefinition-openimis-coverage.html: a claim is valuated for an insuree with a policy.`,
);

const valuated: StepDefinition = {
  id: 'claim-valuated',
  title: 'A claim of one service is valuated',
  says: `${IG}/StructureDefinition-openimis-claim-response.html: a valuated claim (claim status 16) states the amount approved.`,
  needs: { interactions: ['Claim:create'] },
  async run(t) {
    const list = t.load(PRICE_LIST);
    const { claim, code } = claimFor(t, t.load(INSUREE), [{ entry: list.service }]);
    const submitted = await submitClaim(t, claim);
    t.expect(submitted.reply).status([200, 201]);
    const response = await finalResponse(t, submitted.response, submitted.claimId);
    const amount = response && valuatedAmount(response);
    if (!amount?.value)
      return t.fail(
        'expected the claim valuated with an amount approved (a total in claim status 16), found none',
      );
    const provider = (claim.provider as { reference?: string } | undefined)?.reference;
    if (!provider) return t.fail('the claim names no provider to bill');
    t.save(VALUATED, {
      code,
      provider,
      approved: amount.value,
      ...(amount.currency ? { currency: amount.currency } : {}),
    });
  },
};

const billed: StepDefinition = {
  id: 'bill-issued',
  title: "The target issues a bill for the valuated claim to the claim's provider",
  says: `${IG}/StructureDefinition-openimis-invoice-bill.html: openIMIS pays a facility for its valuated claims through a bill whose lines carry the claims' codes; its total is the sum of its lines.`,
  needs: { interactions: ['Invoice:search-type'] },
  async run(t) {
    const claim = t.load(VALUATED);
    const query = `Invoice?recipient=${encodeURIComponent(claim.provider)}&status=issued&_count=100`;
    const bill = await t
      .eventually(
        async () =>
          (bundleOf(await t.get(query))?.entry ?? [])
            .map((e) => e.resource)
            .filter((r): r is fhir4.Invoice => r?.resourceType === 'Invoice')
            .find((candidate) => billsClaim(candidate, claim.code)),
        { deadlineMs: 5_000 },
      )
      .catch(() => undefined);
    if (!bill?.id)
      return t.fail(
        `expected an issued bill to ${claim.provider} with a line for claim ${claim.code}, found none`,
      );
    const reply = await t.get(`Invoice/${bill.id}`);
    t.expect(reply).status(200).valid(BILL_PROFILE);
    const total = bill.totalGross?.value;
    if (total === undefined || Math.abs(total - linesTotal(bill)) > 0.005)
      t.fail(
        `expected the bill's totalGross to be the sum of its lines (${linesTotal(bill)}), found ${total}`,
      );
    if (
      !bill.lineItem?.some((line) =>
        line.priceComponent?.some((c) => Math.abs((c.amount?.value ?? NaN) - claim.approved) < 0.005),
      )
    )
      t.fail(`expected the claim's line billed at the amount valuated (${claim.approved}), found none`);
    t.save(BILL, {
      id: bill.id,
      total: total ?? claim.approved,
      ...(bill.totalGross?.currency ? { currency: bill.totalGross.currency } : {}),
    });
  },
};

const paid: StepDefinition = {
  id: 'bill-paid',
  title: 'Paying the bill moves it on',
  says: `${R4}/paymentnotice.html and ${R4}/invoice.html: a PaymentNotice (with its PaymentReconciliation) for the bill's total settles it: balanced.`,
  needs: { interactions: ['PaymentNotice:create', 'PaymentReconciliation:create', 'Invoice:read'] },
  async run(t) {
    const bill = t.load(BILL);
    const reply = await pay(t, bill.id, bill.total, bill.currency);
    trackUnexpected(t, reply, 'PaymentNotice');
    t.expect(reply).status(201);
    const status = await invoiceStatus(t, bill.id);
    if (status !== 'balanced')
      t.fail(`expected Invoice/${bill.id} balanced after its payment, found ${status}`);
  },
};

const unknownBill: StepDefinition = {
  id: 'unknown-bill',
  title: 'A payment for a bill that does not exist is refused and stores nothing',
  says: `${R4}/paymentnotice.html: the notice is about a request (the bill); one naming nothing known is refused with 4xx and an OperationOutcome.`,
  needs: { interactions: ['PaymentNotice:create', 'PaymentNotice:search-type'] },
  async run(t) {
    const missing = `no-such-bill-${randomUUID().slice(0, 8)}`;
    const reply = await pay(t, missing, 10, t.recall(BILL)?.currency ?? 'EUR');
    trackUnexpected(t, reply, 'PaymentNotice');
    t.expect(reply).statusClass(4).outcome();
    const stored = await paymentsFor(t, missing);
    if (stored !== undefined && stored > 0)
      t.fail(`expected no PaymentNotice for Invoice/${missing}, found ${stored}`);
  },
};

const negative: StepDefinition = {
  id: 'negative-amount',
  title: 'A payment of a negative amount is refused and changes nothing',
  says: `${IG}/StructureDefinition-openimis-payment-notice.html (oi-payment-notice-1): a payment notice reports a positive amount.`,
  needs: { interactions: ['PaymentNotice:create', 'Invoice:read'] },
  async run(t) {
    const bill = t.load(BILL);
    const before = await invoiceStatus(t, bill.id);
    const count = await paymentsFor(t, bill.id);
    const reply = await pay(t, bill.id, -5, bill.currency);
    trackUnexpected(t, reply, 'PaymentNotice');
    t.expect(reply).statusClass(4).outcome();
    const after = await invoiceStatus(t, bill.id);
    if (after !== before)
      t.fail(`expected Invoice/${bill.id} still ${before} after a refused payment, found ${after}`);
    const counted = await paymentsFor(t, bill.id);
    if (count !== undefined && counted !== count)
      t.fail(
        `expected ${count} PaymentNotice for Invoice/${bill.id} after a refused payment, found ${counted}`,
      );
  },
};

export const paymentScenario: ScenarioDefinition = {
  id: 'payment',
  title: 'Server bills valuated claims and settles bills when paid',
  description:
    'A claim is valuated, the target bills it to the provider, a payment settles the bill and its amounts add up; ' +
    'payments for unknown bills or of negative amounts are refused and change nothing.',
  tags: ['openimis', 'payment', 'workflow'],
  requirements: [BILL_PROFILE, `${R4}/paymentnotice.html`, `${R4}/invoice.html`],
  needs: { resources: ['Claim', 'Invoice', 'PaymentNotice'] },
  inputs: OPENIMIS_INPUTS,
  steps: [priceList, insuree, valuated, billed, paid, unknownBill, negative],
};
