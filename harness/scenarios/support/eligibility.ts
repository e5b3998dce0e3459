/**
 * Eligibility enquiries, shared by the eligibility and enrollment scenarios: the IG's enquiry for an
 * insuree, sent and checked (valid response, request echoed, outcome complete), and the policies a
 * response says are in force.
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../../json.js';
import { dateFromToday } from '../../openimis/payloads.js';
import type { StepContext } from '../../runner/types.js';
import { igExample } from './ig-resources.js';
import { PROFILE, type Insuree, type PriceList } from './openimis.js';
import { resourceOf } from './replies.js';

export type EligibilityResponse = fhir4.CoverageEligibilityResponse;

/** The IG's enquiry for the insuree, asking about the item and the service of the price list. */
export function enquiry(
  insuree: Pick<Insuree, 'patientId' | 'code'>,
  list: PriceList | undefined,
): JsonObject {
  const {
    id: _id,
    text: _text,
    ...example
  } = igExample<JsonObject>('CoverageEligibilityRequest-john-doe-eligibility.json');
  const items = (example.item as JsonObject[]).map((item) => {
    const kind = ((item.category as { coding: { code: string }[] }).coding[0] as { code: string }).code;
    const code = kind === 'service' ? list?.service.code : list?.item.code;
    return code ? { ...item, productOrService: { text: code } } : item;
  });
  return {
    ...example,
    identifier: (example.identifier as JsonObject[]).map((identifier) => ({
      ...identifier,
      value: randomUUID(),
    })),
    patient: { reference: `Patient/${insuree.patientId}`, display: insuree.code },
    created: dateFromToday(),
    item: items,
  };
}

/** Sends an enquiry; the response when it is a valid one that echoes the request, complete. */
export async function ask(t: StepContext, body: JsonObject): Promise<EligibilityResponse | undefined> {
  const reply = await t.post('CoverageEligibilityRequest', body);
  t.expect(reply)
    .status([200, 201])
    .resourceType('CoverageEligibilityResponse')
    .valid(PROFILE.eligibilityResponse);
  const response = resourceOf<EligibilityResponse>(reply, 'CoverageEligibilityResponse');
  if (!response) return undefined;
  const sent = (body.identifier as fhir4.Identifier[])[0]?.value;
  t.expect(reply).that(
    () =>
      response.request?.identifier?.value === sent ||
      (response.request?.reference !== undefined &&
        response.request.reference.startsWith('CoverageEligibilityRequest')),
    `expected request to name the enquiry (identifier ${sent} or a CoverageEligibilityRequest reference), found ${JSON.stringify(response.request ?? null)}`,
  );
  t.expect(reply).fhirpath('outcome', 'complete');
  return response;
}

/**
 * The policies a response says are in force. The IG's response forbids `insurance.inforce` (openIMIS
 * sends an insurance entry only for a policy in force): an entry whose `inforce`, when given, is true.
 */
export const inForce = (response: EligibilityResponse) =>
  (response.insurance ?? []).filter((insurance) => insurance.inforce !== false);
