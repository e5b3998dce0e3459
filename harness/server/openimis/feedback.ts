/**
 * Claim feedback as openIMIS collects it. A claim selected for feedback gets a CommunicationRequest
 * (openimis-communication-request, id `{claim}-feedback`) asking its five questions, addressed to the
 * claim's administrator, and its ClaimResponse points at it (`communicationRequest`). The insuree's
 * answers come back as a Communication (openimis-communication) about the claim; storing one delivers
 * the feedback: the request turns completed with feedback status 8. openIMIS keeps one feedback per
 * claim, so a claim not selected, or whose feedback was already delivered, refuses another answer.
 *
 * Which claims are selected is the scheme's choice (openIMIS's claim review picks them at random, or by
 * value); `--claim-feedback` sets it: none (the default), all, a share at random, or claims of at least
 * an amount. Both resources are written by the server; clients read them and create Communications.
 */
import { isJsonObject, objectsOf, type JsonObject } from '../../json.js';
import { IG, identifierValue, referenceKey } from '../../openimis/payloads.js';
import type { ServerServices, TypePlugin, WriteContext, WritePlan } from '../extension-points.js';
import { badRequest, OutcomeError } from '../outcomes.js';
import type { Change } from '../storage/types.js';
import { readAsCommitted } from './planned-read.js';

/** Which claims are selected for feedback when they are entered. */
export type FeedbackSelection =
  | { mode: 'none' }
  | { mode: 'all' }
  /** This share of claims, picked at random (openIMIS's random selection). */
  | { mode: 'random'; percent: number }
  /** Claims whose claimed total is at least this amount (openIMIS's selection by value). */
  | { mode: 'value'; atLeast: number };

/** Reads `none`, `all`, `N%` (0 to 100) or `value:AMOUNT`. */
export function parseFeedbackSelection(text: string): FeedbackSelection | Error {
  if (text === 'none' || text === 'all') return { mode: text };
  const share = /^(\d{1,3}(?:\.\d+)?)%$/.exec(text);
  if (share && Number(share[1]) <= 100) return { mode: 'random', percent: Number(share[1]) };
  const value = /^value:(\d{1,12}(?:\.\d+)?)$/.exec(text);
  if (value) return { mode: 'value', atLeast: Number(value[1]) };
  return new Error(`--claim-feedback must be none, all, a share such as 10% or value:AMOUNT, not '${text}'`);
}

/** Whether a claim of this claimed total is selected; `random` draws from [0, 1). */
export function selectedForFeedback(
  selection: FeedbackSelection,
  claimed: number,
  random: () => number = Math.random,
): boolean {
  switch (selection.mode) {
    case 'none':
      return false;
    case 'all':
      return true;
    case 'random':
      return random() * 100 < selection.percent;
    case 'value':
      return claimed >= selection.atLeast;
  }
}

export const feedbackRequestId = (claimId: string) => `${claimId}-feedback`;

const FEEDBACK_STATUS_SYSTEM = `${IG}/CodeSystem/feedback-status`;
const PAYLOAD_SYSTEM = `${IG}/CodeSystem/feedback-payload`;
const PAYLOAD_TYPE_URL = `${IG}/StructureDefinition/communication-payload-type`;

/** The five questions, in openIMIS's order and spelling, with the prompt each shows. */
const FEEDBACK_QUESTIONS = [
  ['CareRendered', 'Care Rendered? (yes|no)'],
  ['PaymentAsked', 'Payment Asked? (yes|no)'],
  ['DrugPrescribed', 'Drug Prescribed? (yes|no)'],
  ['DrugReceived', 'Drug Received? (yes|no)'],
  ['Asessment', 'Asessment? (0|1|2|3|4|5)'],
] as const;

/** The feedback statuses a request can have, with the CommunicationRequest status each maps to. */
const STATUS = {
  selected: { code: '4', display: 'Selected', status: 'active' },
  delivered: { code: '8', display: 'Delivered', status: 'completed' },
} as const;

/** The payload-type extension of one question. */
function payloadType(code: string, display: string): JsonObject {
  return {
    url: PAYLOAD_TYPE_URL,
    valueCodeableConcept: { coding: [{ system: PAYLOAD_SYSTEM, code, display }] },
  };
}

/** The feedback request for a claim just selected. */
export function feedbackRequest(claim: JsonObject, claimId: string): JsonObject {
  const code = identifierValue(claim, 'Code');
  return withStatus(
    {
      resourceType: 'CommunicationRequest',
      id: feedbackRequestId(claimId),
      status: STATUS.selected.status,
      ...(isJsonObject(claim.patient) ? { subject: claim.patient } : {}),
      about: [{ reference: `Claim/${claimId}`, ...(code ? { display: code } : {}) }],
      // As the backend does: the request goes to the claim's administrator.
      ...(isJsonObject(claim.enterer) ? { recipient: [claim.enterer] } : {}),
      payload: FEEDBACK_QUESTIONS.map(([question, prompt]) => ({
        extension: [payloadType(question, prompt)],
        contentString: prompt,
      })),
    },
    'selected',
  );
}

function withStatus(request: JsonObject, status: keyof typeof STATUS): JsonObject {
  const { code, display, status: requestStatus } = STATUS[status];
  return {
    ...request,
    status: requestStatus,
    statusReason: { coding: [{ system: FEEDBACK_STATUS_SYSTEM, code, display }] },
  };
}

const refuse = (text: string, expression: string) =>
  new OutcomeError(422, badRequest(text, expression).outcome);

/** The Communication plug-in: an answer delivers the feedback its claim was selected for. */
export class FeedbackRules {
  constructor(private readonly server: ServerServices) {}

  readonly requestPlugin: TypePlugin = {
    type: 'CommunicationRequest',
    interactions: ['read', 'vread', 'search-type', 'history-instance'],
    documentation:
      'Feedback asked on a claim selected for it, written by the server with the ClaimResponse; read and searched by clients.',
  };

  readonly communicationPlugin: TypePlugin = {
    type: 'Communication',
    interactions: ['create', 'read', 'vread', 'search-type', 'history-instance'],
    documentation:
      "An insuree's feedback on a claim: accepted once per claim selected for feedback, for the claim's patient; it completes the claim's CommunicationRequest.",
    write: (context, plan) => this.onAnswer(context, plan),
  };

  private onAnswer(context: WriteContext, plan: WritePlan): WritePlan | undefined {
    if (context.interaction !== 'create' || !context.resource) return undefined;
    const answer = context.resource;
    const { storage } = this.server.parts;
    const claims = objectsOf(answer.about).map((reference) => referenceKey(reference));
    const index = claims.findIndex((key) => key?.type === 'Claim');
    const about = claims[index];
    if (!about)
      throw refuse(
        'The feedback names no claim (Communication.about must reference a Claim)',
        'Communication.about',
      );
    const where = `Communication.about[${index}]`;
    const claim = readAsCommitted(storage, 'Claim', about.id, context.planned);
    if (!claim) throw refuse(`Claim/${about.id} does not exist`, where);
    const requestId = feedbackRequestId(about.id);
    const request = readAsCommitted(storage, 'CommunicationRequest', requestId, context.planned);
    if (!request) throw refuse(`Claim/${about.id} was not selected for feedback`, where);
    if (request.status !== STATUS.selected.status)
      throw refuse(`The feedback on Claim/${about.id} was already delivered`, where);
    const patient = referenceKey(claim.patient);
    const subject = referenceKey(answer.subject);
    if (patient && (subject?.type !== patient.type || subject.id !== patient.id))
      throw refuse(
        `The feedback's subject must be the claim's patient, ${patient.type}/${patient.id}`,
        'Communication.subject',
      );
    const { meta: _meta, ...stored } = request;
    return {
      changes: [
        ...plan.changes,
        {
          kind: 'write',
          type: 'CommunicationRequest',
          id: requestId,
          method: 'PUT',
          resource: withStatus(stored, 'delivered'),
        },
      ],
      answer: (versions) => plan.answer(versions.slice(0, plan.changes.length)),
    };
  }
}

/** What goes with a deleted claim: its feedback request, and the feedback given on it. */
export function feedbackOfDeletedClaim(server: ServerServices, claimId: string): Change[] {
  const { storage, search } = server.parts;
  const changes: Change[] = [];
  const request = readAsCommitted(storage, 'CommunicationRequest', feedbackRequestId(claimId));
  if (!request) return changes;
  changes.push({ kind: 'delete', type: 'CommunicationRequest', id: feedbackRequestId(claimId) });
  // Answers are found through their subject (the claim's patient), then kept when about this claim.
  const subject = referenceKey(request.subject);
  if (!subject) return changes;
  const result = search.search('Communication', [['subject', `${subject.type}/${subject.id}`]]);
  if ('error' in result) return changes;
  for (const { id } of result.matches) {
    const answer = readAsCommitted(storage, 'Communication', id);
    if (objectsOf(answer?.about).some((reference) => sameClaim(reference, claimId)))
      changes.push({ kind: 'delete', type: 'Communication', id });
  }
  return changes;
}

const sameClaim = (reference: unknown, claimId: string) => {
  const key = referenceKey(reference);
  return key?.type === 'Claim' && key.id === claimId;
};
