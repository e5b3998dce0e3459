/**
 * Payments as the enrollment and payment scenarios make them: a PaymentReconciliation for the amount and
 * the PaymentNotice reporting it, against an invoice or a bill, both from the IG's examples.
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../../json.js';
import { dateFromToday } from '../../openimis/payloads.js';
import type { Reply, StepContext } from '../../runner/types.js';
import { igExample } from './ig-resources.js';
import { resourceOf } from './replies.js';
import { create } from './writes.js';

/** A PaymentReconciliation for the amount and the PaymentNotice reporting it, against an invoice. */
export async function pay(
  t: StepContext,
  invoiceId: string,
  amount: number,
  currency: string | undefined,
): Promise<Reply> {
  const money = { value: amount, ...(currency ? { currency } : {}) };
  const {
    id: _r,
    text: _rt,
    ...reconciliation
  } = igExample<JsonObject>('PaymentReconciliation-doe-family-contribution-payment.json');
  const details = (reconciliation.detail as JsonObject[]).map((detail) => ({
    ...detail,
    request: { reference: `Invoice/${invoiceId}` },
    date: dateFromToday(),
    amount: money,
  }));
  const storedReconciliation = await create(t, {
    ...reconciliation,
    identifier: (reconciliation.identifier as JsonObject[]).map((i) => ({ ...i, value: randomUUID() })),
    created: new Date().toISOString(),
    paymentDate: dateFromToday(),
    paymentAmount: money,
    paymentIdentifier: { system: 'https://payments.example.org/receipts', value: t.unique('RCP') },
    detail: details,
  } as unknown as fhir4.PaymentReconciliation);
  const {
    id: _n,
    text: _nt,
    ...notice
  } = igExample<JsonObject>('PaymentNotice-doe-family-contribution-payment.json');
  const body = {
    ...notice,
    identifier: (notice.identifier as JsonObject[]).map((i) => ({ ...i, value: randomUUID() })),
    request: { reference: `Invoice/${invoiceId}` },
    created: new Date().toISOString(),
    paymentDate: dateFromToday(),
    amount: money,
    ...(storedReconciliation
      ? { payment: { reference: `PaymentReconciliation/${storedReconciliation.id}` } }
      : {}),
  };
  return t.post('PaymentNotice', body);
}

export async function invoiceStatus(t: StepContext, id: string): Promise<string | undefined> {
  return resourceOf<fhir4.Invoice>(await t.get(`Invoice/${id}`), 'Invoice')?.status;
}
