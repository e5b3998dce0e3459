/**
 * Enrollment and contribution payment as openIMIS does them:
 *
 * - A policy is a Contract: each of its assets is a policy for a product (valuedItem.entityReference,
 *   an InsurancePlan that must exist) covering the persons it lists (typeReference). Creating one
 *   issues, in the same commit, the contribution Invoice the family owes (premium.ts) and, for each
 *   policy, its Coverage, idle (draft) until paid; the Contract itself is stored as offered (idle).
 * - A PaymentNotice against an invoice must name an invoice that exists, in its currency, for a positive
 *   amount no larger than what is still owed. The payment that settles the invoice makes it balanced,
 *   and, for a contribution, the policy active: the Contract executed and its Coverages active.
 * - Bills (openimis-invoice-bill) are settled the same way (bills.ts issues them).
 * - Invoices are read-only for clients (openIMIS: create and update are no-ops there).
 *
 * Every refusal is a 4xx OperationOutcome thrown before anything is stored, so nothing of the write,
 * nor of its transaction, remains.
 */
import { randomUUID } from 'node:crypto';
import { isJsonObject, objectsOf, stringOf, type JsonObject } from '../../json.js';
import {
  IDENTIFIER_SYSTEM,
  IG,
  amountOf,
  cents,
  dateFromToday,
  extensionOf,
  extensionUrl,
  identifierValue,
  referenceKey,
} from '../../openimis/payloads.js';
import { contributionDue, isAdult, readProductCosts } from '../../openimis/premium.js';
import type { ServerServices, TypePlugin, WriteContext, WritePlan } from '../extension-points.js';
import { badRequest, OutcomeError } from '../outcomes.js';
import type { Change } from '../storage/types.js';
import { readAsCommitted } from './planned-read.js';

/** The invoice a policy's contribution is billed on, and the Coverage of each of its policies. */
export const contributionInvoiceId = (contractId: string) => `contribution-${contractId}`;
export const coverageId = (contractId: string, asset: number) => `${contractId}-policy-${asset + 1}`;

const PAID_STATUSES = new Set(['paid', 'cleared']);

const refuse = (text: string, expression?: string) =>
  new OutcomeError(422, badRequest(text, expression).outcome);

const code = (system: string, value: string, display?: string) => ({
  coding: [{ system, code: value, ...(display ? { display } : {}) }],
});

const identifiers = (codeValue: string) => [
  { type: code(IDENTIFIER_SYSTEM, 'Code'), value: codeValue },
  { type: code(IDENTIFIER_SYSTEM, 'UUID'), value: randomUUID() },
];

/** Reads a resource as the write will find it once committed. */
type Reader = (type: string, id: string) => JsonObject | undefined;

/** One policy of a Contract, as enrollment reads it. */
interface PolicyAsset {
  index: number;
  planId: string;
  members: string[];
  period: JsonObject | undefined;
}

export class EnrollmentRules {
  constructor(private readonly server: ServerServices) {}

  readonly contractPlugin: TypePlugin = {
    type: 'Contract',
    interactions: ['create', 'read', 'vread', 'search-type', 'history-instance'],
    documentation:
      'openIMIS policies: a create needs an existing product for each policy, is stored idle (offered) and issues the contribution Invoice and an idle Coverage per policy; paying the invoice activates them.',
    write: (context, plan) => this.onContract(context, plan),
  };

  readonly paymentNoticePlugin: TypePlugin = {
    type: 'PaymentNotice',
    interactions: ['create', 'read', 'vread', 'search-type', 'history-instance'],
    documentation:
      'Payments of invoices and bills: the request must name one, in its currency, for a positive amount no larger than what is owed; the payment that settles it balances it and activates the policy it is for.',
    write: (context, plan) => this.onPayment(context, plan),
  };

  readonly invoicePlugin: TypePlugin = {
    type: 'Invoice',
    interactions: ['read', 'vread', 'search-type', 'history-instance'],
    documentation:
      'Issued by the server (contributions when a policy is created, bills when claims are valuated); read and searched by clients.',
  };

  /** A resource as it will be once the write commits: what its transaction planned, else what is stored. */
  private read(type: string, id: string, planned: readonly Change[] = []): JsonObject | undefined {
    return readAsCommitted(this.server.parts.storage, type, id, planned);
  }

  private onContract(context: WriteContext, plan: WritePlan): WritePlan | undefined {
    if (context.interaction !== 'create' || !context.resource) return undefined;
    const contract = context.resource;
    const read: Reader = (type, id) => this.read(type, id, context.planned);
    const assets = policyAssets(contract, read);
    const family = familyOf(contract, assets, read);
    const issued = stringOf(contract.issued) ?? dateFromToday();
    const changes: Change[] = [];
    const lines: JsonObject[] = [];
    let currency: string | undefined;
    let total = 0;
    for (const asset of assets) {
      const product = read('InsurancePlan', asset.planId) as JsonObject;
      const costs = readProductCosts(product);
      const adults = asset.members.filter((id) =>
        isAdult(stringOf(read('Patient', id)?.birthDate), issued),
      ).length;
      const due = contributionDue(costs, adults, asset.members.length - adults);
      currency ??= costs.currency;
      total += due.total;
      const productCode = identifierValue(product, 'Code') ?? asset.planId;
      lines.push(invoiceLine('policy', productCode, due.total, costs.currency));
      changes.push({
        kind: 'write',
        type: 'Coverage',
        id: coverageId(context.id, asset.index),
        method: 'PUT',
        resource: coverage(
          coverageId(context.id, asset.index),
          family.head,
          asset,
          productCode,
          stringOf(product.name),
          issued,
        ),
      });
    }
    const invoice: JsonObject = {
      resourceType: 'Invoice',
      id: contributionInvoiceId(context.id),
      meta: { profile: [`${IG}/StructureDefinition/openimis-invoice-invoice`] },
      identifier: identifiers(`INV-${context.id}`.slice(0, 64)),
      status: total > 0 ? 'issued' : 'balanced',
      type: code(`${IG}/CodeSystem/invoice-type`, 'contribution', 'Contribution'),
      recipient: { reference: `Patient/${family.head}` },
      date: dateFromToday(),
      lineItem: lines,
      totalNet: money(total, currency),
      totalGross: money(total, currency),
    };
    // Idle until its contribution is paid (a policy with nothing to pay is active at once).
    const stored: JsonObject = { ...contract, status: total > 0 ? 'offered' : 'executed' };
    if (total <= 0) for (const change of changes) activate(change);
    const [own, ...rest] = plan.changes;
    if (!own || own.kind !== 'write') return undefined;
    return {
      changes: [
        { ...own, resource: stored },
        ...rest,
        ...changes,
        { kind: 'write', type: 'Invoice', id: invoice.id as string, method: 'PUT', resource: invoice },
      ],
      answer: (versions) => plan.answer(versions.slice(0, plan.changes.length)),
    };
  }

  private onPayment(context: WriteContext, plan: WritePlan): WritePlan | undefined {
    if (context.interaction !== 'create' || !context.resource) return undefined;
    const notice = context.resource;
    const target = referenceKey(notice.request);
    if (target?.type !== 'Invoice')
      throw refuse(
        'The payment names no invoice (request must reference an Invoice)',
        'PaymentNotice.request',
      );
    const invoice = this.read('Invoice', target.id);
    if (!invoice) throw refuse(`Invoice/${target.id} is not known`, 'PaymentNotice.request');
    const amount = amountOf(notice.amount);
    if (amount === undefined || amount <= 0)
      throw refuse('A payment is for a positive amount', 'PaymentNotice.amount.value');
    const currency = isJsonObject(invoice.totalGross) ? stringOf(invoice.totalGross.currency) : undefined;
    const paidIn = isJsonObject(notice.amount) ? stringOf(notice.amount.currency) : undefined;
    if (currency !== undefined && paidIn !== undefined && paidIn !== currency)
      throw refuse(
        `The invoice is in ${currency}, the payment in ${paidIn}`,
        'PaymentNotice.amount.currency',
      );
    if (invoice.status !== 'issued')
      throw refuse(
        `Invoice/${target.id} is ${String(invoice.status)}: nothing is owed on it`,
        'PaymentNotice.request',
      );
    const owed = cents((amountOf(invoice.totalGross) ?? 0) - this.paidOn(target.id));
    if (amount - owed > 0.005)
      throw refuse(
        `The payment (${amount}) is more than what is owed on Invoice/${target.id} (${owed})`,
        'PaymentNotice.amount.value',
      );
    const paid = PAID_STATUSES.has(
      objectsOf(isJsonObject(notice.paymentStatus) ? notice.paymentStatus.coding : undefined)
        .map((coding) => stringOf(coding.code))
        .find(Boolean) ?? 'paid',
    );
    if (!paid || owed - amount > 0.005) return undefined;
    return {
      changes: [...plan.changes, ...this.settle(target.id, invoice)],
      answer: (versions) => plan.answer(versions.slice(0, plan.changes.length)),
    };
  }

  /** What is already paid on an invoice (paid or cleared notices). */
  private paidOn(invoiceId: string): number {
    const result = this.server.parts.search.search('PaymentNotice', [['request', `Invoice/${invoiceId}`]]);
    if ('error' in result) return 0;
    let paid = 0;
    for (const key of result.matches) {
      const notice = this.read('PaymentNotice', key.id);
      if (notice && notice.status === 'active') paid += amountOf(notice.amount) ?? 0;
    }
    return paid;
  }

  /** The invoice balanced and, for a contribution, its policy active. */
  private settle(invoiceId: string, invoice: JsonObject): Change[] {
    const changes: Change[] = [
      {
        kind: 'write',
        type: 'Invoice',
        id: invoiceId,
        method: 'PUT',
        resource: { ...invoice, status: 'balanced' },
      },
    ];
    const contractId = invoiceId.startsWith('contribution-')
      ? invoiceId.slice('contribution-'.length)
      : undefined;
    const contract = contractId === undefined ? undefined : this.read('Contract', contractId);
    if (!contractId || !contract) return changes;
    changes.push({
      kind: 'write',
      type: 'Contract',
      id: contractId,
      method: 'PUT',
      resource: { ...contract, status: 'executed' },
    });
    for (let index = 0; ; index++) {
      const id = coverageId(contractId, index);
      const current = this.read('Coverage', id);
      if (!current) break;
      const change: Change = { kind: 'write', type: 'Coverage', id, method: 'PUT', resource: current };
      activate(change);
      changes.push(change);
    }
    return changes;
  }
}

/** The Contract's policies, each for a product that exists, or a refusal naming the one that does not. */
function policyAssets(contract: JsonObject, read: Reader): PolicyAsset[] {
  const assets: PolicyAsset[] = [];
  objectsOf(contract.term).forEach((term, t) =>
    objectsOf(term.asset).forEach((asset, a) => {
      const where = `Contract.term[${t}].asset[${a}]`;
      const product = referenceKey(objectsOf(asset.valuedItem)[0]?.entityReference);
      if (product?.type !== 'InsurancePlan')
        throw refuse(
          'The policy names no product (valuedItem.entityReference must reference an InsurancePlan)',
          `${where}.valuedItem[0].entityReference`,
        );
      if (!read('InsurancePlan', product.id))
        throw refuse(
          `The product InsurancePlan/${product.id} is not known`,
          `${where}.valuedItem[0].entityReference`,
        );
      const members = objectsOf(asset.typeReference)
        .map(referenceKey)
        .filter((key) => key?.type === 'Patient')
        .map((key) => (key as { id: string }).id);
      assets.push({
        index: assets.length,
        planId: product.id,
        members,
        // Contract.term.asset.period is a list; openIMIS gives one (the policy's start and expiry).
        period: objectsOf(asset.period)[0],
      });
    }),
  );
  if (assets.length === 0) throw refuse('The contract holds no policy (term.asset)', 'Contract.term');
  return assets;
}

/** The family's head: the member marked head in the subject Group, else the first person covered. */
function familyOf(contract: JsonObject, assets: PolicyAsset[], read: Reader): { head: string } {
  const subject = referenceKey(objectsOf(contract.subject)[0]);
  const group = subject?.type === 'Group' ? read('Group', subject.id) : undefined;
  if (subject?.type === 'Group' && !group)
    throw refuse(`The family Group/${subject.id} is not known`, 'Contract.subject[0]');
  const members = group
    ? objectsOf(group.member)
        .map((member) => referenceKey(member.entity))
        .filter((key) => key?.type === 'Patient')
        .map((key) => (key as { id: string }).id)
    : assets.flatMap((asset) => asset.members);
  const head =
    members.find(
      (id) => extensionOf(read('Patient', id), extensionUrl('patient-is-head'))?.valueBoolean === true,
    ) ?? members[0];
  if (head === undefined)
    throw refuse('The contract covers no person', 'Contract.term[0].asset[0].typeReference');
  return { head };
}

/** A Coverage write made active. */
function activate(change: Change): void {
  if (change.kind === 'write') change.resource = { ...change.resource, status: 'active' };
}

export function money(value: number, currency: string | undefined): JsonObject {
  return { value: cents(value), ...(currency ? { currency } : {}) };
}

/** An invoice line: its charge item, and one base price component carrying the line's code. */
export function invoiceLine(
  chargeItem: string,
  lineCode: string,
  amount: number,
  currency: string | undefined,
  chargeItemSystem = `${IG}/CodeSystem/invoice-charge-item`,
): JsonObject {
  return {
    chargeItemCodeableConcept: code(chargeItemSystem, chargeItem),
    priceComponent: [
      {
        extension: [{ url: extensionUrl('unit-price'), valueMoney: money(amount, currency) }],
        type: 'base',
        // openIMIS puts the fixed code "Code" here and the line's own code in the display.
        code: { coding: [{ code: 'Code', display: lineCode }] },
        factor: 1,
        amount: money(amount, currency),
      },
    ],
  };
}

/** A policy's Coverage, idle until paid: the family's head insured, the product its class. */
function coverage(
  id: string,
  head: string,
  asset: PolicyAsset,
  productCode: string,
  productName: string | undefined,
  issued: string,
): JsonObject {
  const headReference = { reference: `Patient/${head}` };
  return {
    resourceType: 'Coverage',
    id,
    meta: { profile: [`${IG}/StructureDefinition/openimis-coverage`] },
    extension: [{ url: extensionUrl('coverage-date'), valueDate: issued.slice(0, 10) }],
    identifier: [{ type: code(IDENTIFIER_SYSTEM, 'UUID'), value: randomUUID() }],
    status: 'draft',
    policyHolder: headReference,
    beneficiary: headReference,
    period: asset.period ?? { start: issued.slice(0, 10), end: issued.slice(0, 10) },
    payor: [headReference],
    class: [
      {
        type: code('http://terminology.hl7.org/CodeSystem/coverage-class', 'plan'),
        value: productCode,
        name: productName ?? productCode,
      },
    ],
  };
}
