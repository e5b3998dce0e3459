/**
 * Eligibility as openIMIS answers it: `POST CoverageEligibilityRequest` is answered 200 with a
 * CoverageEligibilityResponse and nothing is stored. For each policy in force on the request's day: the
 * benefit package (visits and consultations left this policy period) and, for the item and the service
 * asked about, whether the insuree is excluded from it, how many are left and the earliest day it may be
 * given again. An insuree without a policy gets a response with no insurance.
 *
 * The IG's openimis-coverage-eligibility-response forbids `insurance.inforce` (the backend sends an
 * entry only for a policy in force), so an insurance entry here means "in force".
 */
import { isJsonObject, objectsOf, stringOf, type JsonObject } from '../../json.js';
import type { TypePlugin, WriteContext } from '../extension-points.js';
import { DEFAULT_PRODUCT_LIMITS, forInsuree, nextAllowedDay, type EarlierLine } from './adjudication.js';
import {
  BENEFIT_TYPE_SYSTEM,
  COVERAGE_ITEM_CATEGORY_SYSTEM,
  codesOf,
  dateFromToday,
  dateOfDay,
  dayOf,
  referenceKey,
  todayDay,
} from '../../openimis/payloads.js';
import type { PriceListKind } from '../../openimis/price-list.js';
import type { ClaimRecord, OpenimisRecords, Policy } from './records.js';
import { badRequest } from '../outcomes.js';
import { escapeXmlText } from '../../xml.js';

const category = (code: string) => ({ coding: [{ system: COVERAGE_ITEM_CATEGORY_SYSTEM, code }] });
const benefitType = (code: string) => ({ coding: [{ system: BENEFIT_TYPE_SYSTEM, code }] });

export function eligibilityPlugin(records: OpenimisRecords): TypePlugin {
  return {
    type: 'CoverageEligibilityRequest',
    interactions: ['create'],
    documentation:
      'openIMIS eligibility: a POST is answered 200 with a CoverageEligibilityResponse computed from the policies and the claims; nothing is stored.',
    write: (context: WriteContext) => {
      if (context.interaction !== 'create' || !context.resource) return undefined;
      const response = eligibilityResponse(records, context.resource);
      return { changes: [], answer: () => ({ status: 200, headers: {}, body: response }) };
    },
  };
}

export function eligibilityResponse(records: OpenimisRecords, request: JsonObject): JsonObject {
  const patient = referenceKey(request.patient);
  if (patient?.type !== 'Patient')
    throw badRequest(
      'The enquiry names no patient (patient must reference a Patient)',
      'CoverageEligibilityRequest.patient',
    );
  const day = dayOf(request.created) ?? todayDay();
  const policies = records.policies(patient.id, day);
  const claims = records.claimsOf(patient.id);
  const asked = objectsOf(request.item)
    .map((item) => ({
      kind: (codesOf(item.category).includes('service') ? 'service' : 'item') as PriceListKind,
      code: isJsonObject(item.productOrService) ? stringOf(item.productOrService.text) : undefined,
    }))
    .filter((item): item is { kind: PriceListKind; code: string } => item.code !== undefined);
  const identifier = objectsOf(request.identifier)[0];
  const insurance = policies
    .filter((policy) => policy.startDay !== undefined && policy.endDay !== undefined)
    .map((policy) => insuranceEntry(records, policy, patient.id, day, claims, asked));
  const summary =
    policies.length === 0
      ? 'No policy is in force for this insuree.'
      : `In force: ${policies.map((policy) => policy.productName ?? policy.productCode).join(', ')}.`;
  return {
    resourceType: 'CoverageEligibilityResponse',
    text: {
      status: 'generated',
      div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>${escapeXmlText(summary)}</p></div>`,
    },
    status: 'active',
    purpose: ['benefits'],
    ...(isJsonObject(request.patient) ? { patient: request.patient } : {}),
    created: dateFromToday(),
    // Nothing is stored, so the request is named by its identifier, as it was sent.
    request: identifier
      ? { identifier, display: 'the enquiry this answers' }
      : { display: 'the enquiry this answers' },
    outcome: 'complete',
    insurer: { reference: 'Organization/openIMIS-Implementation' },
    ...(insurance.length > 0 ? { insurance } : {}),
  };
}

function insuranceEntry(
  records: OpenimisRecords,
  policy: Policy,
  patientId: string,
  day: number,
  claims: ClaimRecord[],
  asked: { kind: PriceListKind; code: string }[],
): JsonObject {
  const inPeriod = claims.filter(
    (claim) =>
      claim.accepted.length > 0 &&
      claim.startDay >= (policy.startDay as number) &&
      claim.startDay <= (policy.endDay as number),
  );
  const visitsLeft = Math.max(0, DEFAULT_PRODUCT_LIMITS.visits - inPeriod.length);
  const consultationsLeft = Math.max(
    0,
    DEFAULT_PRODUCT_LIMITS.consultations - inPeriod.filter((claim) => claim.consultation).length,
  );
  const earlier = claims.flatMap((claim) => claim.accepted);
  const insuree = records.insuree(patientId) ?? {};
  return {
    ...(policy.coverage ? { coverage: { reference: policy.coverage } } : {}),
    benefitPeriod: { start: dateOfDay(policy.startDay as number), end: dateOfDay(policy.endDay as number) },
    item: [
      {
        category: category('benefit'),
        name: policy.productName ?? policy.productCode,
        description: policy.productCode,
        benefit: [
          { type: benefitType('visits_left'), allowedUnsignedInt: visitsLeft },
          { type: benefitType('consultations_left'), allowedUnsignedInt: consultationsLeft },
        ],
      },
      ...asked.map((item) => askedEntry(records, item, insuree, day, earlier)),
    ],
  };
}

/** The item or service asked about: excluded when not in the price list or not for this insuree. */
function askedEntry(
  records: OpenimisRecords,
  asked: { kind: PriceListKind; code: string },
  insuree: { gender?: string; birthDay?: number },
  day: number,
  earlier: EarlierLine[],
): JsonObject {
  const entry = records.priceListEntry(asked.kind, asked.code);
  const excluded = entry === undefined || !forInsuree(entry, insuree, day);
  const benefit: JsonObject[] = [];
  if (entry?.frequency && !excluded) {
    const recent = earlier.filter(
      (line) =>
        line.code === entry.code &&
        line.kind === entry.kind &&
        line.day > day - (entry.frequency as { periodDays: number }).periodDays &&
        line.day <= day,
    ).length;
    const next = nextAllowedDay(entry, earlier);
    if (next !== undefined && next > day)
      benefit.push({ type: benefitType('min_date_item'), allowedString: dateOfDay(next) });
    benefit.push({
      type: benefitType('item_left'),
      allowedUnsignedInt: Math.max(0, entry.frequency.count - recent),
    });
  }
  return {
    category: category(asked.kind),
    name: asked.code,
    excluded,
    ...(benefit.length > 0 ? { benefit } : {}),
  };
}
