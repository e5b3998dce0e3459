/**
 * enrollment: a social registry or an enrolment officer enrols a family into an openIMIS product. The
 * products are read; one transaction creates the family (its Patients conditional on their Code, the
 * head marked, the Group naming them by urn:uuid); the policy is a Contract for the family and the
 * product; the server issues the contribution Invoice the product defines for this family; a payment
 * settles it, which activates the policy; a member's eligibility then says in force. Refusals: a Code
 * longer than 12 characters, a product that does not exist, the same family sent twice, a payment of
 * the wrong amount.
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../json.js';
import { IG, dateFromToday, identifierValue } from '../openimis/payloads.js';
import { contributionDue, isAdult, readProductCosts, type ProductCosts } from '../openimis/premium.js';
import { key } from '../runner/dsl.js';
import type { ScenarioDefinition, StepContext, StepDefinition } from '../runner/types.js';
import { ask, enquiry, inForce } from './support/eligibility.js';
import { replyOf } from './support/openimis.js';
import { igExample, openimisPatient } from './support/ig-resources.js';
import { byCode, marksFor, searchIds } from './support/patients.js';
import { bundleOf, resourceOf } from './support/replies.js';
import { R4 } from './support/standards.js';
import { invoiceStatus, pay } from './support/payments.js';
import { create, trackBundleResponse, trackUnexpected } from './support/writes.js';

const ENROLMENT_PAGE = `${IG}/enrolment.html`;
const profile = (id: string) => `${IG}/StructureDefinition/${id}`;

interface Product {
  id: string;
  code: string;
  costs: ProductCosts;
}

interface Member {
  id: string;
  code: string;
  birthDate: string;
}

interface Family {
  groupId: string;
  head: Member;
  members: Member[];
  /** The transaction that made it, to send again. */
  transaction: JsonObject;
}

const PRODUCT = key<Product>('product', 'the products step found no product to enrol in');
const FAMILY = key<Family>('family', 'the family step did not create the family');
const POLICY = key<{ contractId: string }>('policy', 'the policy step did not create the Contract');
const INVOICE = key<{ id: string; total: number; currency?: string }>(
  'invoice',
  'the invoice step found no contribution invoice',
);

/** A family's transaction: the Group and its Patients, each conditional on its Code, by urn:uuid. */
function familyTransaction(t: StepContext, label: string, ages: number[], codeOf?: (i: number) => string) {
  const members = ages.map((age, i) => {
    const marks = marksFor(t, `${label}-${i}`);
    const patient = openimisPatient(codeOf ? { ...marks, code: codeOf(i) } : marks);
    const code = codeOf ? codeOf(i) : marks.code;
    const birthDate = dateFromToday(-Math.round(age * 365.25) - 10);
    const extension = (patient.extension ?? []).filter((e) => !e.url.endsWith('/patient-is-head'));
    if (i === 0) extension.unshift({ url: `${IG}/StructureDefinition/patient-is-head`, valueBoolean: true });
    return {
      fullUrl: `urn:uuid:${randomUUID()}`,
      code,
      birthDate,
      patient: { ...patient, birthDate, extension },
    };
  });
  const { id: _id, text: _text, ...group } = igExample<JsonObject>('Group-doe-family.json');
  const groupCode = marksFor(t, `${label}-group`).code;
  const groupResource: JsonObject = {
    ...group,
    identifier: (group.identifier as JsonObject[]).map((identifier, i) => ({
      ...identifier,
      value: i === 0 ? groupCode : randomUUID(),
    })),
    name: `${members[0]?.patient.name?.[0]?.family ?? 'Family'}`,
    quantity: members.length,
    member: members.map((m) => ({ entity: { reference: m.fullUrl } })),
  };
  const transaction: JsonObject = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      ...members.map((m) => ({
        fullUrl: m.fullUrl,
        resource: m.patient,
        request: { method: 'POST', url: 'Patient', ifNoneExist: byCode(m.code) },
      })),
      {
        fullUrl: `urn:uuid:${randomUUID()}`,
        resource: groupResource,
        request: { method: 'POST', url: 'Group', ifNoneExist: byCode(groupCode) },
      },
    ],
  };
  return { transaction, members };
}

/** Sends a family's transaction; the family as stored, when every entry was created. */
async function enrolFamily(t: StepContext, label: string, ages: number[]): Promise<Family | undefined> {
  const { transaction, members } = familyTransaction(t, label, ages);
  const reply = await t.post('', transaction);
  t.expect(reply).status(200).resourceType('Bundle').fhirpath('type', 'transaction-response');
  const bundle = bundleOf(reply);
  trackBundleResponse(t, bundle);
  const entries = bundle?.entry ?? [];
  if (entries.length !== members.length + 1) {
    t.fail(`expected ${members.length + 1} entries in the transaction-response, found ${entries.length}`);
    return undefined;
  }
  const ids = entries.map(
    (entry) => /(?:^|\/)(?:Patient|Group)\/([^/]+)/.exec(entry.response?.location ?? '')?.[1],
  );
  entries.forEach((entry, i) => {
    if (!entry.response?.status.startsWith('201'))
      t.fail(
        `expected entry ${i} (${i < members.length ? 'a Patient' : 'the Group'}) answered 201, found ${entry.response?.status}`,
      );
  });
  if (ids.some((id) => id === undefined)) {
    t.fail('expected every entry of the transaction-response to give the location of what it created');
    return undefined;
  }
  const stored = members.map((m, i) => ({ id: ids[i] as string, code: m.code, birthDate: m.birthDate }));
  return {
    groupId: ids[members.length] as string,
    head: stored[0] as Member,
    members: stored,
    transaction,
  };
}

/**
 * The Contract of a family for a product, from the IG's example: offered, running a year from today,
 * valued at what the product defines for the family (openIMIS's enrolment officer sees that value).
 */
function contractFor(family: Family, product: Pick<Product, 'id' | 'costs'>): JsonObject {
  const { id: _id, text: _text, ...example } = igExample<JsonObject>('Contract-doe-family-policy.json');
  const term = (example.term as JsonObject[])[0] as JsonObject;
  const asset = ((term.asset as JsonObject[])[0] ?? {}) as JsonObject;
  const period = { start: dateFromToday(), end: dateFromToday(364) };
  const { extension: _premium, ...policy } = asset;
  return {
    ...example,
    identifier: (example.identifier as JsonObject[]).map((i) => ({ ...i, value: randomUUID() })),
    status: 'offered',
    issued: dateFromToday(),
    subject: [{ reference: `Group/${family.groupId}` }],
    term: [
      {
        offer: {
          party: [
            {
              ...((term.offer as { party: JsonObject[] }).party[0] as JsonObject),
              reference: [{ reference: `Patient/${family.head.id}` }],
            },
          ],
        },
        asset: [
          {
            ...policy,
            typeReference: family.members.map((m) => ({ reference: `Patient/${m.id}` })),
            period: [period],
            usePeriod: [period],
            valuedItem: [
              {
                entityReference: { reference: `InsurancePlan/${product.id}` },
                net: {
                  value: dueFor(product, family.members).total,
                  ...(product.costs.currency ? { currency: product.costs.currency } : {}),
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

/** The contribution invoice the server issued for the family (its head is the recipient). */
async function issuedInvoice(t: StepContext, headId: string): Promise<fhir4.Invoice | undefined> {
  const query = `Invoice?recipient=${encodeURIComponent(`Patient/${headId}`)}&status=issued`;
  return t
    .eventually(
      async () => {
        const reply = await t.get(query);
        return bundleOf(reply)
          ?.entry?.map((e) => e.resource)
          .find((r): r is fhir4.Invoice => r?.resourceType === 'Invoice');
      },
      { deadlineMs: 5_000 },
    )
    .catch(() => undefined);
}

/** What the product defines for this family. */
function dueFor(product: Pick<Product, 'costs'>, members: Member[]) {
  const adults = members.filter((m) => isAdult(m.birthDate, dateFromToday())).length;
  return contributionDue(product.costs, adults, members.length - adults);
}

/** A product of our own, from the IG's RX01 under a code unique to the run; tracked for the clean-up. */
async function ownProduct(t: StepContext): Promise<fhir4.InsurancePlan | undefined> {
  if (!t.supports({ interactions: ['InsurancePlan:create'] }))
    return t.skip(
      'the target lists no product and does not declare InsurancePlan:create; give --input product-code=CODE',
    );
  const { id: _id, text: _text, ...example } = igExample<JsonObject>('InsurancePlan-RX01.json');
  const code = `P${t
    .unique('pr')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(-7)}`;
  const plan = {
    ...example,
    // The conversion names another product of the example world, which this target may not hold.
    extension: (example.extension as JsonObject[]).filter(
      (extension) => !String(extension.url).endsWith('/insurance-plan-conversion'),
    ),
    identifier: (example.identifier as JsonObject[]).map((identifier, i) => ({
      ...identifier,
      value: i === 0 ? code : randomUUID(),
    })),
    name: `Product ${code}`,
    period: { start: dateFromToday(-30), end: dateFromToday(730) },
  } as unknown as fhir4.InsurancePlan;
  const stored = await create(t, plan);
  return stored ? { ...plan, id: stored.id } : undefined;
}

const products: StepDefinition = {
  id: 'products',
  title: 'The products, each valid against openimis-insurance-plan',
  says: `${IG}/StructureDefinition-openimis-insurance-plan.html: a product (InsurancePlan) defines the contributions a family pays.`,
  needs: { interactions: ['InsurancePlan:search-type'] },
  async run(t) {
    const wanted = t.input('product-code');
    const reply = await t.get(`InsurancePlan?${wanted ? byCode(wanted) : '_count=20'}`);
    t.expect(reply).status(200).resourceType('Bundle');
    const plans = (bundleOf(reply)?.entry ?? [])
      .map((e) => e.resource)
      .filter((r): r is fhir4.InsurancePlan => r?.resourceType === 'InsurancePlan');
    for (const plan of plans)
      t.expect(replyOf(reply, plan as unknown as JsonObject)).valid(profile('openimis-insurance-plan'));
    const codeOf = (plan: fhir4.InsurancePlan) => identifierValue(plan as unknown as JsonObject, 'Code');
    let chosen = plans.find(
      (plan) => plan.id && codeOf(plan) && (wanted === undefined || codeOf(plan) === wanted),
    );
    if (wanted && !chosen)
      return t.fail(`expected the InsurancePlan with the Code ${wanted} (input product-code), found none`);
    chosen ??= await ownProduct(t);
    if (!chosen?.id) return;
    t.save(PRODUCT, {
      id: chosen.id,
      code: codeOf(chosen) as string,
      costs: readProductCosts(chosen as unknown as JsonObject),
    });
  },
};

const family: StepDefinition = {
  id: 'family',
  title: 'One transaction enrols the family: its Patients (the head marked) and its Group',
  says: `${R4}/http.html#transaction and ${ENROLMENT_PAGE}: each Patient is created unless one has its Code (ifNoneExist), the Group names them by urn:uuid; every entry is answered 201 and the references are rewritten to the new ids.`,
  needs: { interactions: ['transaction', 'Patient:create', 'Group:create'] },
  async run(t) {
    // Two adults and a child of five.
    const enrolled = await enrolFamily(t, 'family', [40, 37, 5]);
    if (!enrolled) return;
    const groupReply = await t.get(`Group/${enrolled.groupId}`);
    t.expect(groupReply).status(200).valid(profile('openimis-group'));
    const group = resourceOf<fhir4.Group>(groupReply, 'Group');
    const named = (group?.member ?? []).map((m) => m.entity.reference);
    const expected = enrolled.members.map((m) => `Patient/${m.id}`);
    if (expected.some((reference) => !named.includes(reference)))
      t.fail(`expected the Group's members rewritten to ${expected.join(', ')}, found ${named.join(', ')}`);
    for (const member of enrolled.members) {
      const reply = await t.get(`Patient/${member.id}`);
      t.expect(reply).status(200).valid(profile('openimis-patient'));
    }
    const head = resourceOf<fhir4.Patient>(await t.get(`Patient/${enrolled.head.id}`), 'Patient');
    if (!head?.extension?.some((e) => e.url.endsWith('/patient-is-head') && e.valueBoolean === true))
      t.fail('expected the head of the family marked with patient-is-head = true, found no such mark');
    t.save(FAMILY, enrolled);
  },
};

const policy: StepDefinition = {
  id: 'policy',
  title: 'The policy: a Contract for the family and the product',
  says: `${IG}/StructureDefinition-openimis-contract.html: the policy is a Contract whose asset names the product (valuedItem) and the persons covered (typeReference).`,
  needs: { interactions: ['Contract:create'] },
  async run(t) {
    const enrolled = t.load(FAMILY);
    const product = t.load(PRODUCT);
    const stored = await create(t, contractFor(enrolled, product) as unknown as fhir4.Contract);
    if (!stored) return;
    const reply = await t.get(`Contract/${stored.id}`);
    t.expect(reply).status(200).valid(profile('openimis-contract'));
    t.save(POLICY, { contractId: stored.id });
  },
};

const invoice: StepDefinition = {
  id: 'invoice',
  title: 'The server issues the contribution Invoice the product defines for this family',
  says: `${IG}/StructureDefinition-openimis-invoice-invoice.html and the product's costs: the contribution (lump sum, or per adult and per child) plus registration and general assembly fees, billed to the head of the family.`,
  needs: { interactions: ['Invoice:search-type'] },
  async run(t) {
    t.load(POLICY);
    const enrolled = t.load(FAMILY);
    const product = t.load(PRODUCT);
    const found = await issuedInvoice(t, enrolled.head.id);
    if (!found?.id) return t.fail(`expected an issued Invoice for Patient/${enrolled.head.id}, found none`);
    const reply = await t.get(`Invoice/${found.id}`);
    t.expect(reply).status(200).valid(profile('openimis-invoice-invoice'));
    const due = dueFor(product, enrolled.members);
    const total = found.totalGross?.value;
    if (total === undefined || Math.abs(total - due.total) > 0.005)
      t.fail(
        `expected the invoice's totalGross ${due.total} (contribution ${due.contribution}, registration ${due.registration}, assembly ${due.assembly} for ${enrolled.members.length} members), found ${total}`,
      );
    t.save(INVOICE, {
      id: found.id,
      total: total ?? due.total,
      ...(found.totalGross?.currency ? { currency: found.totalGross.currency } : {}),
    });
  },
};

const payment: StepDefinition = {
  id: 'payment',
  title: 'Paying the invoice balances it and makes the policy active',
  says: `${R4}/paymentnotice.html, ${R4}/invoice.html: a PaymentNotice (with its PaymentReconciliation) for what is owed balances the invoice; openIMIS then activates the policy (Coverage active for its period).`,
  needs: { interactions: ['PaymentNotice:create', 'PaymentReconciliation:create', 'Invoice:read'] },
  async run(t) {
    const owed = t.load(INVOICE);
    const enrolled = t.load(FAMILY);
    const reply = await pay(t, owed.id, owed.total, owed.currency);
    trackUnexpected(t, reply, 'PaymentNotice');
    t.expect(reply).status(201);
    const status = await invoiceStatus(t, owed.id);
    if (status !== 'balanced')
      t.fail(`expected Invoice/${owed.id} balanced after the payment, found ${status}`);
    const coverages = bundleOf(
      await t.get(`Coverage?beneficiary=${encodeURIComponent(`Patient/${enrolled.head.id}`)}`),
    );
    const active = (coverages?.entry ?? [])
      .map((e) => e.resource)
      .filter((r): r is fhir4.Coverage => r?.resourceType === 'Coverage')
      .filter((coverage) => coverage.status === 'active');
    if (active.length === 0)
      t.fail(`expected an active Coverage for Patient/${enrolled.head.id} after the payment, found none`);
  },
};

const eligibility: StepDefinition = {
  id: 'member-eligible',
  title: "A member's eligibility now says in force",
  says: `${IG}/eligibility.html: once the policy is active, an enquiry for any member of the family lists it in force.`,
  needs: { interactions: ['CoverageEligibilityRequest:create'] },
  async run(t) {
    t.load(INVOICE);
    const enrolled = t.load(FAMILY);
    const child = enrolled.members[enrolled.members.length - 1] as Member;
    const response = await ask(t, enquiry({ patientId: child.id, code: child.code }, undefined));
    if (response && inForce(response).length === 0)
      t.fail(`expected the policy in force for member Patient/${child.id}, found no insurance in force`);
  },
};

const longCode: StepDefinition = {
  id: 'code-too-long',
  title: 'A Code longer than 12 characters is refused, and nothing of the transaction stays',
  says: `${IG}/StructureDefinition-openimis-patient.html (insureeCodeMustBeUnder13Chars) and ${R4}/http.html#transaction: a transaction with an invalid entry fails as a whole.`,
  needs: { interactions: ['transaction', 'Patient:create'] },
  async run(t) {
    const code = `L${randomUUID().replace(/-/g, '').slice(0, 14)}`;
    const { transaction, members } = familyTransaction(t, 'long-code', [30, 8], (i) =>
      i === 0 ? code : marksFor(t, `long-code-ok-${i}`).code,
    );
    const reply = await t.post('', transaction);
    trackBundleResponse(t, bundleOf(reply));
    t.expect(reply)
      .statusClass(4)
      .outcome()
      .that(
        (r) => r.text.includes('insureeCodeMustBeUnder13Chars'),
        'expected the OperationOutcome to name insureeCodeMustBeUnder13Chars',
      );
    for (const member of members) {
      const ids = await searchIds(t, byCode(member.code));
      if (ids && ids.length > 0)
        t.fail(
          `expected no Patient with the Code ${member.code} after the refused transaction, found ${ids.length}`,
        );
    }
  },
};

const unknownProduct: StepDefinition = {
  id: 'unknown-product',
  title: 'A Contract for a product that does not exist is refused',
  says: `${ENROLMENT_PAGE}: a policy is for a product of the scheme; one naming no known product is refused with 4xx and an OperationOutcome.`,
  needs: { interactions: ['Contract:create'] },
  async run(t) {
    const enrolled = t.load(FAMILY);
    const reply = await t.post(
      'Contract',
      contractFor(enrolled, {
        id: `no-such-product-${randomUUID().slice(0, 8)}`,
        costs: t.load(PRODUCT).costs,
      }),
    );
    trackUnexpected(t, reply, 'Contract');
    t.expect(reply).statusClass(4).outcome();
  },
};

const sentTwice: StepDefinition = {
  id: 'sent-twice',
  title: 'The same family transaction sent twice creates no duplicate Patient',
  says: `${R4}/http.html#ccreate: a conditional create whose criteria match one resource creates nothing (200).`,
  needs: { interactions: ['transaction', 'Patient:create'] },
  async run(t) {
    const enrolled = t.load(FAMILY);
    const again = await t.post('', enrolled.transaction);
    t.expect(again).status(200).resourceType('Bundle');
    trackBundleResponse(t, bundleOf(again));
    for (const member of enrolled.members) {
      const ids = await searchIds(t, byCode(member.code));
      if (ids && (ids.length !== 1 || ids[0] !== member.id))
        t.fail(
          `expected one Patient with the Code ${member.code} (Patient/${member.id}), found ${ids.length}: ${ids.join(', ')}`,
        );
    }
  },
};

const wrongAmount: StepDefinition = {
  id: 'wrong-amount',
  title: 'A payment of the wrong amount leaves the invoice unbalanced (or is refused)',
  says: `${R4}/invoice.html: an invoice is balanced when what is owed is paid; a payment of less, or more, does not balance it.`,
  needs: { interactions: ['transaction', 'Contract:create', 'PaymentNotice:create', 'Invoice:search-type'] },
  async run(t) {
    const product = t.load(PRODUCT);
    const single = await enrolFamily(t, 'wrong-amount', [45]);
    if (!single) return;
    const stored = await create(t, contractFor(single, product) as unknown as fhir4.Contract);
    if (!stored) return;
    const found = await issuedInvoice(t, single.head.id);
    const total = found?.totalGross?.value;
    if (!found?.id || total === undefined)
      return t.fail(`expected an issued Invoice for Patient/${single.head.id}, found none`);
    for (const amount of [total + 10, total / 2]) {
      const reply = await pay(t, found.id, Math.round(amount * 100) / 100, found.totalGross?.currency);
      trackUnexpected(t, reply, 'PaymentNotice');
      if (reply.status >= 400) t.expect(reply).statusClass(4).outcome();
      const status = await invoiceStatus(t, found.id);
      if (status === 'balanced')
        return t.fail(
          `expected Invoice/${found.id} (owing ${total}) not balanced by a payment of ${amount}, found balanced`,
        );
    }
  },
};

export const enrollmentScenario: ScenarioDefinition = {
  id: 'enrollment',
  title: 'Server enrols a family, bills its contribution and activates the policy once paid',
  description:
    'A family is enrolled in one transaction, its policy is a Contract for a product, the server issues the contribution ' +
    'invoice the product defines, a payment settles it and activates the policy, and a member is then eligible; invalid ' +
    'codes, unknown products, duplicates and wrong payments are refused or change nothing.',
  tags: ['openimis', 'enrollment', 'workflow'],
  requirements: [ENROLMENT_PAGE, `${R4}/contract.html`, `${R4}/invoice.html`, `${R4}/paymentnotice.html`],
  needs: { resources: ['Patient', 'Group', 'Contract'] },
  inputs: [
    {
      name: 'product-code',
      description:
        'the Code of the product (InsurancePlan) to enrol the family in (default: the first the target lists, or one the scenario creates)',
    },
  ],
  steps: [
    products,
    family,
    policy,
    invoice,
    payment,
    eligibility,
    longCode,
    unknownProduct,
    sentTwice,
    wrongAmount,
  ],
};
