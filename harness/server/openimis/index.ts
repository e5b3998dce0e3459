/**
 * openIMIS behaviour of the reference server, added to the generic FHIR server through its extension
 * points: claims adjudicated on submission (claims.ts, adjudication.ts) and selected for feedback
 * (feedback.ts), eligibility answered without storing (eligibility.ts), both reading the price list and
 * the policies (price-list.ts, records.ts); policies issuing their contribution invoice and payments
 * settling it (enrollment.ts).
 */
import type { FhirServer } from '../fhir-server.js';
import { ClaimRules, type ClaimReviewOptions } from './claims.js';
import { eligibilityPlugin } from './eligibility.js';
import { EnrollmentRules } from './enrollment.js';
import { FeedbackRules, type FeedbackSelection } from './feedback.js';
import { OpenimisRecords } from './records.js';

export type { ClaimReviewOptions } from './claims.js';
export { parseFeedbackSelection, type FeedbackSelection } from './feedback.js';

export interface OpenimisOptions {
  /** Claims adjudicated on submission (the default) or entered and reviewed later. */
  review?: ClaimReviewOptions;
  /** Which claims are selected for feedback (default: none). */
  feedback?: FeedbackSelection;
}

export interface OpenimisBehaviour {
  /** Stops what runs in the background (pending claim reviews). */
  close(): void;
}

export function installOpenimis(fhir: FhirServer, options: OpenimisOptions = {}): OpenimisBehaviour {
  // One reader for all the rules, so what it derives from stored resources is shared.
  const records = new OpenimisRecords(fhir.parts);
  const claims = new ClaimRules(fhir, records, options.review, options.feedback);
  fhir.addPlugin(claims.claimPlugin);
  fhir.addPlugin(claims.claimResponsePlugin);
  fhir.addOperation(claims.submitOperation);
  fhir.addOperation(claims.reviewOperation);
  const feedback = new FeedbackRules(fhir);
  fhir.addPlugin(feedback.requestPlugin);
  fhir.addPlugin(feedback.communicationPlugin);
  fhir.addPlugin(eligibilityPlugin(records));
  const enrollment = new EnrollmentRules(fhir);
  fhir.addPlugin(enrollment.contractPlugin);
  fhir.addPlugin(enrollment.paymentNoticePlugin);
  fhir.addPlugin(enrollment.invoicePlugin);
  return { close: () => claims.close() };
}
