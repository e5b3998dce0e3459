/**
 * Enrollment rules of the reference server. The contribution a family owes (premium.ts), checked against
 * sums worked by hand from openIMIS's rule; then over HTTP on a seeded server (product RX01: lump sum
 * 100 for up to 4 members, adult 30, child 15, registration fee 5 each): a policy issues its invoice and
 * idle Coverage in one commit, a product or family that does not exist is refused with nothing stored,
 * payments are refused when they name no invoice, are not positive, are in another currency or exceed
 * what is owed; a partial payment leaves the invoice issued; the payment that settles it balances it,
 * executes the Contract and activates the Coverage; invoices are read-only.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateFromToday } from '../../harness/openimis/payloads.js';
import { contributionDue, isAdult, readProductCosts } from '../../harness/openimis/premium.js';
import { igPaths } from '../../harness/paths.js';
import { startServer, type RunningServer } from '../../harness/server/server.js';
import { call, post, type Json } from '../support/http-server.js';

const IG_BASE = 'https://openimis.github.io/openimis_fhir_r4_ig';

const example = (file: string) =>
  JSON.parse(readFileSync(join(igPaths().generatedResources, file), 'utf8')) as Json;

describe('the contribution a family owes', () => {
  const rx01 = readProductCosts(example('InsurancePlan-RX01.json'));

  it("reads the product's costs", () => {
    expect(rx01).toEqual({
      lumpSum: 100,
      lumpSumMembers: 4,
      premiumAdult: 30,
      premiumChild: 15,
      registrationFee: 5,
      currency: 'EUR',
    });
  });

  it.each([
    // adults, children, contribution, registration, total
    [2, 0, 100, 10, 110], // the IG's Doe family: its invoice says 110
    [2, 2, 100, 20, 120],
    [4, 1, 115, 25, 140], // the fifth member, a child, pays the child premium
    [6, 0, 160, 30, 190], // two adults beyond the four covered
    [3, 3, 130, 30, 160], // four covered (three adults, one child), two children more
  ])('%i adults and %i children: contribution %i, registration %i, total %i', (a, c, con, reg, total) => {
    expect(contributionDue(rx01, a, c)).toEqual({
      contribution: con,
      registration: reg,
      assembly: 0,
      total,
    });
  });

  it('without a lump sum, each member pays the premium of their group; lump-sum fees replace fees per member', () => {
    const costs = { premiumAdult: 12.5, premiumChild: 4.25, registrationLumpSum: 7, assemblyFee: 1.1 };
    expect(contributionDue(costs, 2, 3)).toEqual({
      contribution: 37.75,
      registration: 7,
      assembly: 5.5,
      total: 50.25,
    });
  });

  it('an adult is 18 on the enrolment day; an unknown birth date counts as an adult', () => {
    expect(isAdult('2008-12-04', '2026-12-04')).toBe(true);
    expect(isAdult('2008-12-05', '2026-12-04')).toBe(false);
    expect(isAdult(undefined, '2026-12-04')).toBe(true);
  });
});

/** A Contract for the seeded Doe family (john-doe, jane-doe: two adults) and a product. */
function contract(product = 'RX01'): Json {
  const { id: _id, text: _text, ...policy } = example('Contract-doe-family-policy.json');
  const asset = policy.term[0].asset[0];
  const period = { start: dateFromToday(), end: dateFromToday(364) };
  return {
    ...policy,
    identifier: [{ ...policy.identifier[0], value: randomUUID() }],
    issued: dateFromToday(),
    term: [
      {
        ...policy.term[0],
        asset: [
          {
            ...asset,
            period: [period],
            usePeriod: [period],
            valuedItem: [
              { ...asset.valuedItem[0], entityReference: { reference: `InsurancePlan/${product}` } },
            ],
          },
        ],
      },
    ],
  };
}

function payment(invoiceId: string, amount: number, currency = 'EUR'): Json {
  const { id: _id, text: _text, ...notice } = example('PaymentNotice-doe-family-contribution-payment.json');
  return {
    ...notice,
    identifier: [{ ...notice.identifier[0], value: randomUUID() }],
    request: { reference: `Invoice/${invoiceId}` },
    amount: { value: amount, currency },
  };
}

const count = async (base: string, query: string) =>
  ((await call(`${base}/${query}${query.includes('?') ? '&' : '?'}_summary=count`)).body as { total: number })
    .total;

describe('policies and payments over HTTP', () => {
  let server: RunningServer;
  let base: string;
  beforeAll(async () => {
    server = await startServer({ port: 0, seed: true });
    base = server.url;
  });
  afterAll(() => server?.close());

  async function enrol(): Promise<{ contractId: string; invoiceId: string; coverageId: string }> {
    const answer = await post(`${base}/Contract`, contract());
    expect(answer.status, answer.text).toBe(201);
    const contractId = /Contract\/([^/]+)/.exec(answer.headers.get('location') ?? '')?.[1] as string;
    return {
      contractId,
      invoiceId: `contribution-${contractId}`,
      coverageId: `${contractId}-policy-1`,
    };
  }

  it('a policy is stored idle and issues its invoice (110 EUR for the Doe family) and an idle Coverage', async () => {
    const { contractId, invoiceId, coverageId } = await enrol();
    const stored = (await call(`${base}/Contract/${contractId}`)).body;
    expect(stored.status).toBe('offered');
    const invoice = (await call(`${base}/Invoice/${invoiceId}`)).body;
    expect(invoice).toMatchObject({
      status: 'issued',
      recipient: { reference: 'Patient/john-doe' },
      totalGross: { value: 110, currency: 'EUR' },
    });
    const validated = await post(
      `${base}/Invoice/$validate?profile=${encodeURIComponent('https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/openimis-invoice-invoice')}`,
      invoice,
    );
    expect(
      (validated.body.issue as Json[]).filter((i) => i.severity === 'error'),
      validated.text,
    ).toEqual([]);
    const coverage = (await call(`${base}/Coverage/${coverageId}`)).body;
    expect(coverage).toMatchObject({ status: 'draft', beneficiary: { reference: 'Patient/john-doe' } });
    expect(coverage.class[0].value).toBe('RX01');
  });

  it('a product or a family that does not exist is refused, and nothing is stored', async () => {
    const before = await count(base, 'Invoice');
    const unknown = await post(`${base}/Contract`, contract('no-such-product'));
    expect(unknown.status).toBe(422);
    expect(unknown.body.issue[0].expression[0]).toBe(
      'Contract.term[0].asset[0].valuedItem[0].entityReference',
    );
    const noFamily = await post(`${base}/Contract`, {
      ...contract(),
      subject: [{ reference: 'Group/nobody' }],
    });
    expect(noFamily.status).toBe(422);
    expect(noFamily.text).toContain('Group/nobody');
    expect(await count(base, 'Invoice')).toBe(before);
  });

  it('refuses payments that name no invoice, are not positive, in another currency, or more than owed', async () => {
    const { invoiceId } = await enrol();
    const before = await count(base, 'PaymentNotice');
    for (const [body, text] of [
      [payment('no-such-invoice', 10), 'Invoice/no-such-invoice is not known'],
      [payment(invoiceId, 0), 'positive'],
      [payment(invoiceId, 10, 'USD'), 'in EUR'],
      [payment(invoiceId, 110.01), 'more than what is owed'],
    ] as const) {
      const answer = await post(`${base}/PaymentNotice`, body);
      expect(answer.status, text).toBeGreaterThanOrEqual(400);
      expect(answer.status, text).toBeLessThan(500);
      expect(answer.text).toContain(text);
    }
    expect(await count(base, 'PaymentNotice')).toBe(before);
    expect((await call(`${base}/Invoice/${invoiceId}`)).body.status).toBe('issued');
  });

  it('a partial payment leaves the invoice issued; the one that settles it activates the policy', async () => {
    const { contractId, invoiceId, coverageId } = await enrol();
    expect((await post(`${base}/PaymentNotice`, payment(invoiceId, 60))).status).toBe(201);
    expect((await call(`${base}/Invoice/${invoiceId}`)).body.status).toBe('issued');
    expect((await call(`${base}/Coverage/${coverageId}`)).body.status).toBe('draft');
    expect((await post(`${base}/PaymentNotice`, payment(invoiceId, 50))).status).toBe(201);
    expect((await call(`${base}/Invoice/${invoiceId}`)).body.status).toBe('balanced');
    expect((await call(`${base}/Contract/${contractId}`)).body.status).toBe('executed');
    expect((await call(`${base}/Coverage/${coverageId}`)).body.status).toBe('active');
    const again = await post(`${base}/PaymentNotice`, payment(invoiceId, 1));
    expect(again.status).toBe(422);
    expect(again.text).toContain('nothing is owed');
  });

  it('a refused Contract in a transaction leaves nothing of the transaction', async () => {
    const before = await count(base, 'Patient');
    const answer = await post(base, {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: `urn:uuid:${randomUUID()}`,
          resource: { resourceType: 'Patient', name: [{ family: 'Transient' }] },
          request: { method: 'POST', url: 'Patient' },
        },
        { resource: contract('no-such-product'), request: { method: 'POST', url: 'Contract' } },
      ],
    });
    expect(answer.status).toBe(422);
    expect(await count(base, 'Patient')).toBe(before);
  });

  it('a family and its policy in one transaction: the policy sees the family the transaction creates', async () => {
    const { id: _p, text: _pt, ...jane } = example('Patient-jane-doe.json');
    const { id: _g, text: _gt, ...group } = example('Group-doe-family.json');
    const patientUrl = `urn:uuid:${randomUUID()}`;
    const groupUrl = `urn:uuid:${randomUUID()}`;
    const code = randomUUID().replace(/-/g, '').slice(0, 12);
    const policy = contract();
    const answer = await post(base, {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: patientUrl,
          resource: {
            ...jane,
            extension: [{ url: `${IG_BASE}/StructureDefinition/patient-is-head`, valueBoolean: true }],
            identifier: [{ ...jane.identifier[0], value: code }],
            birthDate: '2015-01-01',
          },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          fullUrl: groupUrl,
          resource: {
            ...group,
            identifier: [{ ...group.identifier[0], value: randomUUID() }],
            member: [{ entity: { reference: patientUrl } }],
            quantity: 1,
          },
          request: { method: 'POST', url: 'Group' },
        },
        {
          resource: {
            ...policy,
            subject: [{ reference: groupUrl }],
            term: [
              {
                ...policy.term[0],
                asset: [{ ...policy.term[0].asset[0], typeReference: [{ reference: patientUrl }] }],
              },
            ],
          },
          request: { method: 'POST', url: 'Contract' },
        },
      ],
    });
    expect(answer.status, answer.text).toBe(200);
    const patientId = /Patient\/([^/]+)/.exec(answer.body.entry[0].response.location)?.[1] as string;
    const contractId = /Contract\/([^/]+)/.exec(answer.body.entry[2].response.location)?.[1] as string;
    const invoice = (await call(`${base}/Invoice/contribution-${contractId}`)).body;
    // One child, head of the family: the lump sum and one registration fee.
    expect(invoice).toMatchObject({
      recipient: { reference: `Patient/${patientId}` },
      totalGross: { value: 105, currency: 'EUR' },
    });
  });

  it('invoices are read-only for clients', async () => {
    const { id: _id, ...invoice } = example('Invoice-doe-family-contribution.json');
    expect((await post(`${base}/Invoice`, invoice)).status).toBe(405);
    expect((await call(`${base}/Invoice/doe-family-contribution`, { method: 'DELETE' })).status).toBe(405);
  });
});
