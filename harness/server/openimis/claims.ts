/**
 * Claims as openIMIS takes them: `POST Claim` (on its own, in a batch or in a transaction) stores the
 * claim and its ClaimResponse in one commit and answers 201 with the ClaimResponse; `Claim/$submit`
 * does the same and answers 200 (claim.html#submit). Adjudication runs at once, or, with asynchronous
 * review, the claim is first only entered (outcome queued) and adjudicated after a delay or on
 * `ClaimResponse/{id}/$review`. A valuated claim is billed to its provider in the same commit (bills.ts);
 * a claim selected for feedback gets its CommunicationRequest in that commit too (feedback.ts).
 * Claims are not updated (openIMIS has no claim update); deleting one deletes its response, its feedback,
 * and its bill while unpaid.
 */
import { isJsonObject, objectsOf, stringOf, type JsonObject } from '../../json.js';
import type {
  OperationHandler,
  ServerContext,
  ServerServices,
  TypePlugin,
  WriteContext,
  WritePlan,
} from '../extension-points.js';
import { parsePrefer, type FhirResponse } from '../exchange.js';
import { writtenHeaders } from '../writes.js';
import { badRequest, notFound, OutcomeError } from '../outcomes.js';
import type { Change } from '../storage/types.js';
import { adjudicate, DEFAULT_PRODUCT_LIMITS, type Adjudication, type ClaimLine } from './adjudication.js';
import { billFor, billId } from './bills.js';
import { claimResponse } from './claim-response.js';
import {
  feedbackOfDeletedClaim,
  feedbackRequest,
  feedbackRequestId,
  selectedForFeedback,
  type FeedbackSelection,
} from './feedback.js';
import { claimDays, kindOfItem, type OpenimisRecords } from './records.js';
import {
  amountOf,
  dateFromToday,
  extensionOf,
  extensionUrl,
  identifierValue,
  referenceKey,
  todayDay,
} from '../../openimis/payloads.js';

export interface ClaimReviewOptions {
  /** 'sync' (default): adjudicated on submission. 'async': entered, then adjudicated after `delayMs`. */
  mode: 'sync' | 'async';
  delayMs?: number;
}

export class ClaimRules {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly server: ServerServices,
    private readonly records: OpenimisRecords,
    private readonly review: ClaimReviewOptions = { mode: 'sync' },
    private readonly feedback: FeedbackSelection = { mode: 'none' },
  ) {
    // Claims a durable store kept queued across a restart are reviewed again, not left queued forever.
    if (review.mode !== 'async') return;
    const { storage } = server.parts;
    for (const id of storage.ids('ClaimResponse'))
      if ((storage.read('ClaimResponse', id)?.resource as JsonObject | undefined)?.outcome === 'queued')
        this.schedule(id);
  }

  readonly claimPlugin: TypePlugin = {
    type: 'Claim',
    interactions: ['create', 'read', 'vread', 'search-type', 'history-instance', 'delete'],
    documentation:
      'openIMIS claims: a create is adjudicated (price list, policy, limits) and answered 201 with the ClaimResponse; claims are never updated.',
    write: (context, plan) => this.onWrite(context, plan),
  };

  readonly claimResponsePlugin: TypePlugin = {
    type: 'ClaimResponse',
    interactions: ['read', 'vread', 'search-type', 'history-instance'],
    documentation: 'Written by the server when it adjudicates a claim; read and searched by clients.',
  };

  readonly submitOperation: OperationHandler = {
    name: 'submit',
    definition: 'http://hl7.org/fhir/OperationDefinition/Claim-submit',
    types: ['Claim'],
    affectsState: true,
    handle: (context, target) => this.submit(context, target),
  };

  readonly reviewOperation: OperationHandler = {
    name: 'review',
    definition: 'https://openimis.github.io/openimis_fhir_r4_ig/OperationDefinition/ClaimResponse-review',
    types: ['ClaimResponse'],
    affectsState: true,
    handle: (_context, target) => this.reviewNow(target),
  };

  /** Stops the pending reviews (the server is closing). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private onWrite(context: WriteContext, plan: WritePlan): WritePlan | undefined {
    if (context.interaction === 'delete') {
      const { storage } = this.server.parts;
      const response = storage.read('ClaimResponse', context.id);
      if (!response?.resource) return undefined;
      const changes: Change[] = [{ kind: 'delete', type: 'ClaimResponse', id: context.id }];
      // Its bill goes with it while unpaid; a paid bill stays, as the record of a payment.
      const bill = storage.read('Invoice', billId(context.id))?.resource as JsonObject | undefined;
      if (bill?.status === 'issued')
        changes.push({ kind: 'delete', type: 'Invoice', id: billId(context.id) });
      changes.push(...feedbackOfDeletedClaim(this.server, context.id));
      return {
        changes: [...plan.changes, ...changes],
        answer: (versions) => plan.answer(versions.slice(0, plan.changes.length)),
      };
    }
    if (context.interaction !== 'create' || !context.resource) return undefined;
    const claim = context.resource;
    checkProcessable(claim);
    const asynchronous = this.review.mode === 'async';
    const adjudication = asynchronous ? undefined : this.adjudicate(claim, context.id);
    // Selected as openIMIS's review selects them: among the claims entered, not those rejected whole.
    const asked =
      adjudication?.status !== '1' && selectedForFeedback(this.feedback, amountOf(claim.total) ?? 0)
        ? feedbackRequest(claim, context.id)
        : undefined;
    const response = claimResponse({
      claim,
      claimId: context.id,
      created: dateFromToday(),
      ...(adjudication ? { adjudication } : {}),
      ...(asked ? { feedbackRequest: feedbackRequestId(context.id) } : {}),
    });
    const write: Change = {
      kind: 'write',
      type: 'ClaimResponse',
      id: context.id,
      resource: response,
      method: 'PUT',
    };
    const bill = adjudication ? billFor(context.id, claim, adjudication) : undefined;
    const claimChanges = plan.changes.length;
    return {
      changes: [
        ...plan.changes,
        write,
        ...(bill ? [bill] : []),
        ...(asked
          ? [
              {
                kind: 'write',
                type: 'CommunicationRequest',
                id: feedbackRequestId(context.id),
                resource: asked,
                method: 'PUT',
              } satisfies Change,
            ]
          : []),
      ],
      answer: (versions) => {
        const claimVersion = versions[0];
        const responseVersion = versions[claimChanges];
        if (asynchronous) this.schedule(context.id);
        if (claimVersion && responseVersion)
          this.records.rememberClaim(context.id, claim, response, [
            claimVersion.versionId,
            responseVersion.versionId,
          ]);
        // Prefer return=minimal or OperationOutcome: the claim's own answer says it.
        const preference = parsePrefer(context.request.headers.prefer).return;
        if (
          !claimVersion ||
          !responseVersion ||
          preference === 'minimal' ||
          preference === 'OperationOutcome'
        )
          return plan.answer(versions.slice(0, claimChanges));
        // Otherwise the ClaimResponse as stored, built rather than parsed back: the store added only
        // its id and meta.
        const { resourceType, id, ...rest } = response;
        const meta = { versionId: responseVersion.versionId, lastUpdated: responseVersion.lastUpdated };
        return {
          status: 201,
          headers: writtenHeaders(context.request, claimVersion),
          body: { resourceType, id, meta, ...rest },
          // The stored text, sent as it is (a read does the same): no second serialization.
          ...(responseVersion.json !== undefined ? { bodyText: responseVersion.json } : {}),
        };
      },
    };
  }

  /** The facts of a claim, gathered from storage, judged by the adjudication rules. */
  adjudicate(claim: JsonObject, claimId: string): Adjudication {
    const records = this.records;
    const patient = referenceKey(claim.patient);
    const { startDay, endDay } = claimDays(claim);
    const day = startDay ?? todayDay();
    const patientId = patient?.type === 'Patient' ? patient.id : undefined;
    const policies = patientId ? records.policies(patientId, day) : [];
    const policy = policies[0];
    const earlierClaims = patientId ? records.claimsOf(patientId, claimId) : [];
    const inPolicy = earlierClaims.filter(
      (record) =>
        policy !== undefined &&
        (policy.startDay === undefined || record.startDay >= policy.startDay) &&
        (policy.endDay === undefined || record.startDay <= policy.endDay) &&
        record.accepted.length > 0,
    );
    const code = identifierValue(claim, 'Code');
    const lines: ClaimLine[] = objectsOf(claim.item).map((item, index) => {
      const kind = kindOfItem(item);
      const itemCode = isJsonObject(item.productOrService) ? stringOf(item.productOrService.text) : undefined;
      const reference = extensionOf(item, extensionUrl('claim-item-reference'))?.valueReference;
      const entry = kind ? records.priceListEntry(kind, itemCode, reference) : undefined;
      return {
        sequence: typeof item.sequence === 'number' ? item.sequence : index + 1,
        kind,
        code: itemCode,
        quantity: amountOf(item.quantity) ?? 1,
        unitPrice: amountOf(item.unitPrice) ?? 0,
        ...(entry ? { entry } : {}),
      };
    });
    return adjudicate({
      lines,
      insuree: (patientId && records.insuree(patientId)) || {},
      startDay: day,
      endDay: endDay ?? day,
      insured: policy !== undefined,
      limits: DEFAULT_PRODUCT_LIMITS,
      visitsUsed: inPolicy.length,
      consultationsUsed: inPolicy.filter((record) => record.consultation).length,
      earlier: earlierClaims.flatMap((record) => record.accepted),
      duplicateCode: code !== undefined && records.claimsWithCode(code, claimId).length > 0,
      unknownDiagnoses: records.unknownDiagnoses(claim),
    });
  }

  /** claim.html#submit: a Claim, or a Bundle whose first entry is the Claim; answered with the ClaimResponse. */
  private submit(context: ServerContext, target: { type?: string; id?: string }): FhirResponse {
    if (target.id !== undefined) throw badRequest('$submit is invoked on Claim, not on a claim instance');
    const body = context.request.body;
    const claim =
      isJsonObject(body) && body.resourceType === 'Bundle'
        ? objectsOf(body.entry)
            .map((entry) => entry.resource)
            .find(isJsonObject)
        : body;
    if (!isJsonObject(claim) || claim.resourceType !== 'Claim')
      throw badRequest('$submit takes a Claim, or a Bundle whose first entry is the Claim');
    const answer = this.server.handle({
      ...context.request,
      method: 'POST',
      segments: ['Claim'],
      query: [],
      body: claim,
    });
    return answer.status === 201 ? { ...answer, status: 200 } : answer;
  }

  private schedule(claimId: string): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.complete(claimId);
    }, this.review.delayMs ?? 2_000);
    timer.unref();
    this.timers.add(timer);
  }

  /** Adjudicates an entered claim now (nothing when it is no longer queued). */
  private complete(claimId: string): void {
    const { storage } = this.server.parts;
    const claim = storage.read('Claim', claimId)?.resource as JsonObject | undefined;
    const current = storage.read('ClaimResponse', claimId);
    const response = current?.resource as JsonObject | undefined;
    if (!claim || !response || response.outcome !== 'queued') return;
    const adjudication = this.adjudicate(claim, claimId);
    // Whether the claim was selected: the request's current version says it, without parsing it.
    const asked = storage.read('CommunicationRequest', feedbackRequestId(claimId));
    const final = claimResponse({
      claim,
      claimId,
      adjudication,
      created: dateFromToday(),
      ...(asked && asked.method !== 'DELETE' ? { feedbackRequest: feedbackRequestId(claimId) } : {}),
    });
    const bill = billFor(claimId, claim, adjudication);
    try {
      storage.commit([
        {
          kind: 'write',
          type: 'ClaimResponse',
          id: claimId,
          resource: final,
          method: 'PUT',
          ifVersion: current?.versionId as string,
        },
        ...(bill ? [bill] : []),
      ]);
    } catch {
      // Reviewed or deleted meanwhile (a version conflict): nothing to do. Nothing may escape here:
      // this runs from a timer, where an exception would end the server.
    }
  }

  /** `ClaimResponse/{id}/$review`: the pending review, done now. */
  private reviewNow(target: { type?: string; id?: string }): FhirResponse {
    if (target.id === undefined) throw badRequest('$review is invoked on a ClaimResponse instance');
    const current = this.server.parts.storage.read('ClaimResponse', target.id);
    if (!current?.resource) throw notFound(`ClaimResponse/${target.id} is not known`);
    this.complete(target.id);
    const after = this.server.parts.storage.read('ClaimResponse', target.id);
    return { status: 200, headers: {}, body: after?.resource as JsonObject };
  }
}

/**
 * What adjudication cannot work without, when validation did not already refuse it (a server with
 * lenient or no validation): a patient to adjudicate for and lines to adjudicate.
 */
function checkProcessable(claim: JsonObject): void {
  if (referenceKey(claim.patient)?.type !== 'Patient')
    throw new OutcomeError(
      422,
      badRequest('The claim names no patient (Claim.patient must reference a Patient)', 'Claim.patient')
        .outcome,
    );
  if (objectsOf(claim.item).length === 0)
    throw new OutcomeError(422, badRequest('The claim has no items to adjudicate', 'Claim.item').outcome);
}
