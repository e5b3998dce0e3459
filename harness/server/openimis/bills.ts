/**
 * Bills for valuated claims. openIMIS pays health facilities for their valuated claims through bills
 * (openimis-invoice-bill); its batch run groups a facility's claims by period. The reference server
 * bills each claim as it is valuated, in the commit that stores the claim's final response: the bill,
 * issued to the claim's provider for what adjudication approved, is then paid by a PaymentNotice
 * (enrollment.ts settles invoices and bills alike). A claim with nothing approved is not billed.
 */
import { randomUUID } from 'node:crypto';
import { type JsonObject } from '../../json.js';
import {
  IDENTIFIER_SYSTEM,
  IG,
  dateFromToday,
  identifierValue,
  referenceKey,
} from '../../openimis/payloads.js';
import type { Change } from '../storage/types.js';
import type { Adjudication } from './adjudication.js';
import { claimCurrency } from './claim-response.js';
import { invoiceLine, money } from './enrollment.js';

export const billId = (claimId: string) => `bill-${claimId}`;

const coded = (system: string, code: string) => ({ coding: [{ system, code }] });

/** The bill of a claim just valuated, or undefined when nothing was approved or no provider is named. */
export function billFor(claimId: string, claim: JsonObject, adjudication: Adjudication): Change | undefined {
  const provider = referenceKey(claim.provider);
  if (adjudication.approved <= 0 || !provider) return undefined;
  const currency = claimCurrency(claim, adjudication);
  const code = identifierValue(claim, 'Code') ?? claimId;
  const id = billId(claimId);
  const bill: JsonObject = {
    resourceType: 'Invoice',
    id,
    meta: { profile: [`${IG}/StructureDefinition/openimis-invoice-bill`] },
    identifier: [
      { type: coded(IDENTIFIER_SYSTEM, 'Code'), value: `BILL-${code}` },
      { type: coded(IDENTIFIER_SYSTEM, 'UUID'), value: randomUUID() },
    ],
    status: 'issued',
    type: coded(`${IG}/CodeSystem/bill-type`, 'claim-batch'),
    recipient: { reference: `${provider.type}/${provider.id}` },
    date: dateFromToday(),
    lineItem: [
      invoiceLine('claim', code, adjudication.approved, currency, `${IG}/CodeSystem/bill-charge-item`),
    ],
    totalNet: money(adjudication.approved, currency),
    totalGross: money(adjudication.approved, currency),
  };
  return { kind: 'write', type: 'Invoice', id, method: 'PUT', resource: bill };
}
