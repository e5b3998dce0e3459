/**
 * The ClaimResponse openIMIS gives for a claim, as the IG's openimis-claim-response describes it: the
 * claim's identifiers and id, its patient, type and enterer, and per line one adjudication for each
 * claim status the line has passed (entered, checked, processed, valuated) or a single rejection with
 * its reason; totals per status. A claim still entered (under asynchronous review) is `queued`.
 */
import { randomUUID } from 'node:crypto';
import { isJsonObject, objectsOf, stringOf, type JsonObject } from '../../json.js';
import { escapeXmlText } from '../../xml.js';
import { OUTCOME_OF_STATUS, REASON, type Adjudication, type ClaimStatus } from './adjudication.js';
import {
  CLAIM_STATUS_SYSTEM,
  IDENTIFIER_SYSTEM,
  REJECTION_REASON_SYSTEM,
  amountOf,
  cents,
  extensionUrl,
  identifierValue,
} from '../../openimis/payloads.js';

const STATUS_DISPLAY: Record<ClaimStatus, string> = {
  '1': 'Rejected',
  '2': 'Entered',
  '4': 'Checked',
  '8': 'Processed',
  '16': 'Valuated',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const coded = (system: string, code: string, display?: string) => ({
  coding: [{ system, code, ...(display !== undefined ? { display } : {}) }],
});
const money = (value: number, currency: string | undefined) => ({
  value: cents(value),
  ...(currency !== undefined ? { currency } : {}),
});

export interface ResponseOptions {
  claim: JsonObject;
  claimId: string;
  /** The claim's adjudication; undefined while the claim is only entered (queued for review). */
  adjudication?: Adjudication;
  /** The day it was answered, YYYY-MM-DD. */
  created: string;
  /** The id of the CommunicationRequest asking feedback on the claim, when it was selected. */
  feedbackRequest?: string;
}

export function claimResponse({
  claim,
  claimId,
  adjudication,
  created,
  feedbackRequest,
}: ResponseOptions): JsonObject {
  const code = identifierValue(claim, 'Code') ?? claimId;
  const uuid = identifierValue(claim, 'UUID') ?? (UUID.test(claimId) ? claimId : randomUUID());
  const status: ClaimStatus = adjudication?.status ?? '2';
  const currency = claimCurrency(claim, adjudication);
  const items = objectsOf(claim.item);
  let claimedSum = 0;
  const responseItems = items.map((item, index) => {
    const sequence = typeof item.sequence === 'number' ? item.sequence : index + 1;
    const verdict = adjudication?.lines.find((line) => line.sequence === sequence);
    const quantity = amountOf(item.quantity) ?? 1;
    const price = amountOf(item.unitPrice) ?? 0;
    const claimed = quantity * price;
    claimedSum += claimed;
    const line = (category: ClaimStatus, reason: string, amount: number) => ({
      category: coded(CLAIM_STATUS_SYSTEM, category, STATUS_DISPLAY[category]),
      reason: coded(REJECTION_REASON_SYSTEM, reason),
      amount: money(amount, currency),
      value: quantity,
    });
    const adjudications =
      verdict === undefined
        ? [line('2', REASON.accepted, claimed)]
        : verdict.reason !== REASON.accepted
          ? [line('1', verdict.reason, claimed)]
          : [
              line('2', REASON.accepted, claimed),
              line('4', REASON.accepted, verdict.approved),
              line('8', REASON.accepted, verdict.approved),
              line('16', REASON.accepted, verdict.approved),
            ];
    return {
      extension: objectsOf(item.extension).filter((e) => e.url === extensionUrl('claim-item-reference')),
      itemSequence: sequence,
      adjudication: adjudications,
    };
  });
  const totals = [
    { category: coded(CLAIM_STATUS_SYSTEM, '2', STATUS_DISPLAY['2']), amount: money(claimedSum, currency) },
  ];
  if (adjudication) {
    const rejected = adjudication.lines
      .filter((line) => line.reason !== REASON.accepted)
      .reduce((sum, line) => sum + line.claimed, 0);
    if (adjudication.lines.some((line) => line.reason === REASON.accepted))
      totals.push({
        category: coded(CLAIM_STATUS_SYSTEM, '16', STATUS_DISPLAY['16']),
        amount: money(adjudication.approved, currency),
      });
    if (rejected > 0 || adjudication.status === '1')
      totals.push({
        category: coded(CLAIM_STATUS_SYSTEM, '1', STATUS_DISPLAY['1']),
        amount: money(rejected, currency),
      });
  }
  const outcome = OUTCOME_OF_STATUS[status];
  return {
    resourceType: 'ClaimResponse',
    id: claimId,
    text: { status: 'generated', div: narrative(code, outcome, adjudication, currency) },
    identifier: [
      { type: coded(IDENTIFIER_SYSTEM, 'Code'), value: code },
      { type: coded(IDENTIFIER_SYSTEM, 'UUID'), value: uuid },
    ],
    status: 'active',
    ...(isJsonObject(claim.type) ? { type: claim.type } : {}),
    use: 'claim',
    ...(isJsonObject(claim.patient) ? { patient: claim.patient } : {}),
    created,
    insurer: { reference: 'Organization/openIMIS-Implementation' },
    ...(isJsonObject(claim.enterer) ? { requestor: claim.enterer } : {}),
    request: { reference: `Claim/${claimId}`, display: code },
    outcome,
    item: responseItems,
    total: totals,
    ...(feedbackRequest !== undefined
      ? { communicationRequest: [{ reference: `CommunicationRequest/${feedbackRequest}` }] }
      : {}),
  };
}

export function claimCurrency(claim: JsonObject, adjudication: Adjudication | undefined): string | undefined {
  const fromList = adjudication?.lines.find((line) => line.currency !== undefined)?.currency;
  if (fromList) return fromList;
  const total = isJsonObject(claim.total) ? stringOf(claim.total.currency) : undefined;
  return (
    total ??
    objectsOf(claim.item)
      .map((item) => (isJsonObject(item.unitPrice) ? stringOf(item.unitPrice.currency) : undefined))
      .find(Boolean)
  );
}

function narrative(
  code: string,
  outcome: string,
  adjudication: Adjudication | undefined,
  currency = '',
): string {
  const summary = adjudication
    ? `${adjudication.lines.filter((l) => l.reason === REASON.accepted).length} of ${adjudication.lines.length} lines accepted; ${cents(adjudication.approved)} ${currency} approved of ${cents(adjudication.claimed)} claimed`
    : 'entered, awaiting review';
  return `<div xmlns="http://www.w3.org/1999/xhtml"><p>Claim ${escapeXmlText(code)}: ${escapeXmlText(outcome)}, ${escapeXmlText(summary.trim())}.</p></div>`;
}
