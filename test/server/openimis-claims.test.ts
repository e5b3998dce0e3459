/**
 * openIMIS behaviour of the reference server over HTTP: a claim is answered 201 with its ClaimResponse
 * on every path (REST, batch, transaction) and through Claim/$submit; the response is stored under the
 * claim's id and deleted with it; a valuated claim is billed to its provider (the bill deleted with the
 * claim while unpaid); claims and responses cannot be written otherwise; asynchronous review
 * queues a claim until its delay or $review; eligibility is answered 200 and nothing stored. Data: the
 * IG examples (--seed), whose Coverage for john-doe runs from 2025-07-01 to 2026-06-30.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { igPaths } from '../../harness/paths.js';
import { parseFeedbackSelection, selectedForFeedback } from '../../harness/server/openimis/feedback.js';
import { startServer, type RunningServer } from '../../harness/server/server.js';
import { IG, call, del, marker, post, put, tick, type Json } from '../support/http-server.js';

const example = (file: string) =>
  JSON.parse(readFileSync(join(igPaths().generatedResources, file), 'utf8')) as Json;

/** A consultation for john-doe on a day in his policy, under a fresh code. */
function claim(code = marker('CL'), day = '2025-10-02'): Json {
  const { id: _id, ...claim001 } = example('Claim-Claim001.json');
  return {
    ...claim001,
    identifier: [
      { ...claim001.identifier[0], value: code },
      { ...claim001.identifier[1], value: randomUUID() },
    ],
    billablePeriod: { start: day, end: day },
    item: [claim001.item[0]],
    total: { value: 40, currency: 'EUR' },
  };
}

const reasons = (response: Json) =>
  (response.item as Json[]).map((item) =>
    (item.adjudication as Json[])
      .map((a) => `${a.category.coding[0].code}:${a.reason.coding[0].code}`)
      .join(','),
  );

describe('claims, adjudicated at once', () => {
  let server: RunningServer;
  let base: string;
  beforeAll(async () => {
    server = await startServer({ port: 0, seed: true });
    base = server.url;
  });
  afterAll(() => server?.close());

  it('POST Claim: 201, the ClaimResponse in the body, Location naming the Claim; both stored', async () => {
    const answer = await post(`${base}/Claim`, claim());
    expect(answer.status).toBe(201);
    expect(answer.body.resourceType).toBe('ClaimResponse');
    expect(answer.body.outcome).toBe('complete');
    expect(reasons(answer.body)).toEqual(['2:0,4:0,8:0,16:0']);
    const claimId = /\/Claim\/([^/]+)\/_history\/1$/.exec(answer.headers.get('location') ?? '')?.[1];
    expect(claimId).toBeDefined();
    expect(answer.body.id).toBe(claimId);
    expect(answer.body.request.reference).toBe(`Claim/${claimId}`);
    // Not selected for feedback: by default the server selects none.
    expect(answer.body.communicationRequest).toBeUndefined();
    expect((await call(`${base}/Claim/${claimId}`)).status).toBe(200);
    expect((await call(`${base}/ClaimResponse/${claimId}`)).body.outcome).toBe('complete');
  });

  it('Prefer: representation still answers the ClaimResponse; minimal answers no body', async () => {
    const full = await post(`${base}/Claim`, claim(), { prefer: 'return=representation' });
    expect(full.body.resourceType).toBe('ClaimResponse');
    expect(full.body.meta.versionId).toBe('1');
    const minimal = await post(`${base}/Claim`, claim(), { prefer: 'return=minimal' });
    expect(minimal.status).toBe(201);
    expect(minimal.text).toBe('');
    expect(minimal.headers.get('location')).toMatch(/\/Claim\/[^/]+\/_history\/1$/);
  });

  it('a claim in a transaction and in a batch is answered with its ClaimResponse too', async () => {
    for (const type of ['transaction', 'batch']) {
      const bundle = {
        resourceType: 'Bundle',
        type,
        entry: [{ resource: claim(), request: { method: 'POST', url: 'Claim' } }],
      };
      const answer = await post(base, bundle);
      expect(answer.status, type).toBe(200);
      const entry = answer.body.entry[0];
      expect(entry.response.status, type).toMatch(/^201/);
      expect(entry.resource.resourceType, type).toBe('ClaimResponse');
    }
  });

  it('Claim/$submit answers 200 with the ClaimResponse', async () => {
    const answer = await post(`${base}/Claim/$submit`, claim());
    expect(answer.status).toBe(200);
    expect(answer.body.resourceType).toBe('ClaimResponse');
  });

  it('a second claim for the same consultation the same day is rejected for frequency (5)', async () => {
    const day = '2025-11-20';
    expect(reasons((await post(`${base}/Claim`, claim(marker('CL'), day))).body)).toEqual([
      '2:0,4:0,8:0,16:0',
    ]);
    expect(reasons((await post(`${base}/Claim`, claim(marker('CL'), day))).body)).toEqual(['1:5']);
  });

  it('claims are not updated, and responses not written by clients (405)', async () => {
    const answer = await post(`${base}/Claim`, claim());
    const id = answer.body.id as string;
    expect((await put(`${base}/Claim/${id}`, { ...claim(), id })).status).toBe(405);
    expect((await post(`${base}/ClaimResponse`, answer.body)).status).toBe(405);
    expect((await del(`${base}/ClaimResponse/${id}`)).status).toBe(405);
  });

  it('deleting a claim deletes its response', async () => {
    const id = (await post(`${base}/Claim`, claim())).body.id as string;
    expect((await del(`${base}/Claim/${id}`)).status).toBeLessThan(300);
    expect((await call(`${base}/ClaimResponse/${id}`)).status).toBe(410);
  });

  it('a valuated claim is billed to its provider for the amount valuated; a rejected one is not', async () => {
    const valuated = (await post(`${base}/Claim`, claim(marker('CL'), '2025-12-01'))).body;
    const bill = await call(`${base}/Invoice/bill-${valuated.id as string}`);
    expect(bill.status).toBe(200);
    expect(bill.body).toMatchObject({
      status: 'issued',
      recipient: { reference: 'Organization/rapta-hospital' },
      totalGross: { value: 40, currency: 'EUR' },
    });
    expect(bill.body.lineItem[0].priceComponent[0].code.coding[0].display).toBe(valuated.identifier[0].value);
    const validated = await post(
      `${base}/Invoice/$validate?profile=${encodeURIComponent('https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/openimis-invoice-bill')}`,
      bill.body,
    );
    expect(
      (validated.body.issue as Json[]).filter((i) => i.severity === 'error'),
      validated.text,
    ).toEqual([]);
    // The same consultation again that day: rejected for frequency, nothing to bill.
    const rejected = (await post(`${base}/Claim`, claim(marker('CL'), '2025-12-01'))).body;
    expect(rejected.outcome).toBe('complete');
    expect((await call(`${base}/Invoice/bill-${rejected.id as string}`)).status).toBe(404);
  });

  it('deleting a claim deletes its bill while unpaid, and keeps a paid one', async () => {
    const unpaid = (await post(`${base}/Claim`, claim(marker('CL'), '2025-12-02'))).body.id as string;
    expect((await del(`${base}/Claim/${unpaid}`)).status).toBeLessThan(300);
    expect((await call(`${base}/Invoice/bill-${unpaid}`)).status).toBe(410);
    const paid = (await post(`${base}/Claim`, claim(marker('CL'), '2025-12-03'))).body.id as string;
    const { id: _id, text: _text, ...notice } = example('PaymentNotice-doe-family-contribution-payment.json');
    const payment = await post(`${base}/PaymentNotice`, {
      ...notice,
      identifier: [{ ...notice.identifier[0], value: randomUUID() }],
      request: { reference: `Invoice/bill-${paid}` },
      amount: { value: 40, currency: 'EUR' },
    });
    expect(payment.status, payment.text).toBe(201);
    expect((await call(`${base}/Invoice/bill-${paid}`)).body.status).toBe('balanced');
    expect((await del(`${base}/Claim/${paid}`)).status).toBeLessThan(300);
    expect((await call(`${base}/Invoice/bill-${paid}`)).body.status).toBe('balanced');
  });

  it('a claim without items is refused with an OperationOutcome, nothing stored', async () => {
    const code = marker('CL');
    const { item: _item, total: _total, ...itemless } = claim(code);
    const answer = await post(`${base}/Claim`, itemless);
    expect([400, 422]).toContain(answer.status);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    expect((await call(`${base}/Claim?identifier=${code}`)).body.total).toBe(0);
  });

  it('the CapabilityStatement declares what claims allow, and $submit and $review', async () => {
    const statement = (await call(`${base}/metadata`)).body;
    const claimRow = statement.rest[0].resource.find((r: Json) => r.type === 'Claim');
    const codes = (claimRow.interaction as Json[]).map((i) => i.code);
    expect(codes).toContain('create');
    expect(codes).not.toContain('update');
    expect((claimRow.operation as Json[]).map((o) => o.name)).toContain('submit');
    const eligibilityRow = statement.rest[0].resource.find(
      (r: Json) => r.type === 'CoverageEligibilityRequest',
    );
    expect((eligibilityRow.interaction as Json[]).map((i) => i.code)).toEqual(['create']);
  });
});

describe('eligibility', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, seed: true });
  });
  afterAll(() => server?.close());

  it('is answered 200 with a response, and nothing is stored', async () => {
    const { id: _id, ...request } = example('CoverageEligibilityRequest-john-doe-eligibility.json');
    const before = [...server.storage.ids('CoverageEligibilityRequest')];
    const answer = await post(`${server.url}/CoverageEligibilityRequest`, {
      ...request,
      created: '2025-10-01',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.resourceType).toBe('CoverageEligibilityResponse');
    expect(answer.body.insurance[0].coverage.reference).toBe('Coverage/doe-family-coverage');
    expect([...server.storage.ids('CoverageEligibilityRequest')]).toEqual(before);
    expect([...server.storage.ids('CoverageEligibilityResponse')]).toEqual(['john-doe-eligibility']);
    expect((await call(`${server.url}/CoverageEligibilityRequest`)).status).toBe(405);
  });

  it('says no insurance for a day outside every policy', async () => {
    const { id: _id, ...request } = example('CoverageEligibilityRequest-john-doe-eligibility.json');
    const answer = await post(`${server.url}/CoverageEligibilityRequest`, {
      ...request,
      created: '2024-01-01',
    });
    expect(answer.body.insurance).toBeUndefined();
  });
});

describe('claims under asynchronous review', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, seed: true, claimReview: { mode: 'async', delayMs: 150 } });
  });
  afterAll(() => server?.close());

  it('are queued (entered), then adjudicated after the delay', async () => {
    const answer = await post(`${server.url}/Claim`, claim());
    expect(answer.body.outcome).toBe('queued');
    expect(reasons(answer.body)).toEqual(['2:0']);
    const id = answer.body.id as string;
    for (let i = 0; i < 100; i++) {
      if ((await call(`${server.url}/ClaimResponse/${id}`)).body.outcome !== 'queued') break;
      await tick(20);
    }
    expect((await call(`${server.url}/ClaimResponse/${id}`)).body.outcome).toBe('complete');
  });

  it('are adjudicated at once on $review (POST only)', async () => {
    const id = (await post(`${server.url}/Claim`, claim())).body.id as string;
    expect((await call(`${server.url}/ClaimResponse/${id}/$review`)).status).toBe(405);
    const reviewed = await post(`${server.url}/ClaimResponse/${id}/$review`, { resourceType: 'Parameters' });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.outcome).toBe('complete');
  });
});

describe('a queued claim in a durable store', () => {
  it('is reviewed after a restart, not left queued', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openimis-claims-'));
    const db = join(dir, 'fhir.journal');
    try {
      const first = await startServer({
        port: 0,
        seed: true,
        db,
        claimReview: { mode: 'async', delayMs: 60_000 },
      });
      const id = (await post(`${first.url}/Claim`, claim())).body.id as string;
      expect((await call(`${first.url}/ClaimResponse/${id}`)).body.outcome).toBe('queued');
      await first.close();
      const second = await startServer({ port: 0, db, claimReview: { mode: 'async', delayMs: 50 } });
      try {
        let outcome = 'queued';
        for (let i = 0; i < 100 && outcome === 'queued'; i++) {
          await tick(20);
          outcome = (await call(`${second.url}/ClaimResponse/${id}`)).body.outcome as string;
        }
        expect(outcome).toBe('complete');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('claim feedback (--claim-feedback all)', () => {
  let server: RunningServer;
  let base: string;
  const communicationRequestProfile = `${IG}/StructureDefinition/openimis-communication-request`;
  beforeAll(async () => {
    server = await startServer({ port: 0, seed: true, claimFeedback: { mode: 'all' } });
    base = server.url;
  });
  afterAll(() => server?.close());

  /** The answers to a claim's feedback, as the IG's example gives them. */
  const answer = (claimId: string, patient = 'Patient/john-doe'): Json => {
    const { id: _id, ...feedback } = example('Communication-Claim001-feedback.json');
    return {
      ...feedback,
      identifier: [{ ...feedback.identifier[0], value: randomUUID() }],
      subject: { reference: patient },
      about: [{ reference: `Claim/${claimId}` }],
    };
  };
  // Consultations on days after the seeded Claim001's (2025-09-15), one a day: the consultation's
  // frequency rejects a claim dated before or on the day of an earlier one, and rejected claims are not
  // selected. At most six consultations a policy: this server takes five more.
  let days = 0;
  const nextDay = () => new Date(Date.UTC(2025, 8, 20 + days++)).toISOString().slice(0, 10);
  const selectedClaim = () => claim(marker('CL'), nextDay());
  const feedbackOf = async (patient = 'Patient/john-doe') =>
    ((await call(`${base}/Communication?subject=${patient}&_summary=count`)).body.total as number) ?? 0;

  it("a selected claim's response points at a CommunicationRequest valid against its profile, about the claim", async () => {
    const submitted = await post(`${base}/Claim`, selectedClaim());
    const claimId = submitted.body.id as string;
    expect(submitted.body.communicationRequest).toEqual([
      { reference: `CommunicationRequest/${claimId}-feedback` },
    ]);
    const request = (await call(`${base}/CommunicationRequest/${claimId}-feedback`)).body;
    const issues = (
      server.fhir.parts.validator.validate(request, { profiles: [communicationRequestProfile] }).issue ?? []
    ).filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
    expect(issues).toEqual([]);
    expect(request.status).toBe('active');
    expect(request.statusReason.coding[0]).toMatchObject({ code: '4', display: 'Selected' });
    expect(request.about[0].reference).toBe(`Claim/${claimId}`);
    expect(request.subject.reference).toBe('Patient/john-doe');
    // As the backend does: addressed to the claim's administrator.
    expect(request.recipient[0].reference).toBe('Practitioner/ca-amina-rapta');
    expect((await post(`${base}/CommunicationRequest`, request)).status).toBe(405);
  });

  it('the answer is stored (201) and completes the request (8 Delivered); a second answer is refused', async () => {
    const claimId = (await post(`${base}/Claim`, selectedClaim())).body.id as string;
    const before = await feedbackOf();
    const given = await post(`${base}/Communication`, answer(claimId));
    expect(given.status).toBe(201);
    const request = (await call(`${base}/CommunicationRequest/${claimId}-feedback`)).body;
    expect(request.status).toBe('completed');
    expect(request.statusReason.coding[0]).toMatchObject({ code: '8', display: 'Delivered' });
    const again = await post(`${base}/Communication`, answer(claimId));
    expect(again.status).toBe(422);
    expect(again.body.issue[0].diagnostics ?? again.body.issue[0].details.text).toMatch(/already delivered/);
    expect(await feedbackOf()).toBe(before + 1);
  });

  it('answers about an unknown claim, a claim not selected, or for another patient are refused, nothing stored', async () => {
    // A claim for a day outside every policy is rejected whole: such claims are not selected.
    const rejected = (await post(`${base}/Claim`, claim(marker('CL'), '2024-01-10'))).body;
    expect(reasons(rejected)).toEqual(['1:3']);
    expect(rejected.communicationRequest).toBeUndefined();
    const selected = (await post(`${base}/Claim`, selectedClaim())).body.id as string;
    const before = await feedbackOf();
    const beforeJane = await feedbackOf('Patient/jane-doe');
    for (const [body, text, expression] of [
      [answer('no-such-claim'), /does not exist/, 'Communication.about[0]'],
      [answer(rejected.id as string), /not selected for feedback/, 'Communication.about[0]'],
      [answer(selected, 'Patient/jane-doe'), /claim's patient/, 'Communication.subject'],
    ] as const) {
      const refused = await post(`${base}/Communication`, body);
      expect(refused.status).toBe(422);
      const issue = refused.body.issue[0];
      expect(issue.diagnostics ?? issue.details.text).toMatch(text);
      expect(issue.expression).toEqual([expression]);
    }
    expect(await feedbackOf()).toBe(before);
    expect(await feedbackOf('Patient/jane-doe')).toBe(beforeJane);
    expect((await call(`${base}/CommunicationRequest/${selected}-feedback`)).body.status).toBe('active');
  });

  it('a transaction answering the same claim twice is refused whole', async () => {
    const claimId = (await post(`${base}/Claim`, selectedClaim())).body.id as string;
    const before = await feedbackOf();
    const entry = () => ({ resource: answer(claimId), request: { method: 'POST', url: 'Communication' } });
    const refused = await post(base, {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [entry(), entry()],
    });
    expect(refused.status).toBe(422);
    expect(await feedbackOf()).toBe(before);
    expect((await call(`${base}/CommunicationRequest/${claimId}-feedback`)).body.status).toBe('active');
  });

  it('deleting a claim deletes its feedback request and the feedback given', async () => {
    const claimId = (await post(`${base}/Claim`, selectedClaim())).body.id as string;
    const given = await post(`${base}/Communication`, answer(claimId));
    expect((await del(`${base}/Claim/${claimId}`)).status).toBeLessThan(300);
    expect((await call(`${base}/CommunicationRequest/${claimId}-feedback`)).status).toBe(410);
    expect((await call(`${base}/Communication/${given.body.id as string}`)).status).toBe(410);
  });

  it('under asynchronous review the request is made when the claim is entered, and kept by the final response', async () => {
    const review = await startServer({
      port: 0,
      seed: true,
      claimReview: { mode: 'async', delayMs: 60_000 },
      claimFeedback: { mode: 'all' },
    });
    try {
      const queued = (await post(`${review.url}/Claim`, selectedClaim())).body;
      expect(queued.outcome).toBe('queued');
      const reference = `CommunicationRequest/${queued.id as string}-feedback`;
      expect(queued.communicationRequest).toEqual([{ reference }]);
      expect((await call(`${review.url}/${reference}`)).status).toBe(200);
      const final = (await post(`${review.url}/ClaimResponse/${queued.id as string}/$review`, {})).body;
      expect(final.outcome).toBe('complete');
      expect(final.communicationRequest).toEqual([{ reference }]);
    } finally {
      await review.close();
    }
  });
});

describe('feedback selection', () => {
  it('reads none, all, a share and a value; anything else is an error naming the flag', () => {
    expect(parseFeedbackSelection('none')).toEqual({ mode: 'none' });
    expect(parseFeedbackSelection('all')).toEqual({ mode: 'all' });
    expect(parseFeedbackSelection('12.5%')).toEqual({ mode: 'random', percent: 12.5 });
    expect(parseFeedbackSelection('value:250')).toEqual({ mode: 'value', atLeast: 250 });
    for (const bad of ['', 'some', '101%', '-3%', 'value:', 'value:x'])
      expect(String(parseFeedbackSelection(bad))).toMatch(/--claim-feedback must be/);
  });

  it('selects by share with the draw, and by value from the amount up', () => {
    const share = { mode: 'random', percent: 30 } as const;
    expect(selectedForFeedback(share, 0, () => 0.29)).toBe(true);
    expect(selectedForFeedback(share, 0, () => 0.3)).toBe(false);
    expect(selectedForFeedback({ mode: 'random', percent: 0 }, 0, () => 0)).toBe(false);
    expect(selectedForFeedback({ mode: 'value', atLeast: 100 }, 100)).toBe(true);
    expect(selectedForFeedback({ mode: 'value', atLeast: 100 }, 99.99)).toBe(false);
    expect(selectedForFeedback({ mode: 'none' }, 1e9)).toBe(false);
    expect(selectedForFeedback({ mode: 'all' }, 0)).toBe(true);
  });
});
