/**
 * subscription: partners follow insurees, health facilities and invoices through rest-hook
 * subscriptions. The harness's receiver listens on loopback; each Subscription is valid against
 * openimis-subscription (status active, an end, the header as a JSON object string, no payload). A
 * matching write brings a notification within the deadline, with the header and either no body (R4
 * without payload) or the resource (openIMIS POSTs it bare); a write that does not match brings none; a
 * receiver that keeps failing turns the subscription error (SHOULD); once the Subscription is deleted,
 * or its end has passed, nothing more arrives.
 *
 * Criteria are written the target's way (input `criteria-style`): FHIR search parameters (`fhir`, the
 * default) or openIMIS's field lookups (`openimis`: `chfid=`, `code=`).
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../json.js';
import { IG } from '../openimis/payloads.js';
import { key } from '../runner/dsl.js';
import type { ReceivedRequest, ScenarioDefinition, StepContext, StepDefinition } from '../runner/types.js';
import { igExample, openimisPatient } from './support/ig-resources.js';
import {
  INSUREE,
  PRICE_LIST,
  claimFor,
  insureeStep,
  priceListStep,
  submitClaim,
  OPENIMIS_INPUTS,
} from './support/openimis.js';
import { marksFor } from './support/patients.js';
import { resourceOf } from './support/replies.js';
import { R4 } from './support/standards.js';
import { create } from './support/writes.js';

const PROFILE = `${IG}/StructureDefinition/openimis-subscription`;
const SUBSCRIPTION_PAGE = `${R4}/subscription.html`;

interface Watch {
  subscriptionId: string;
  /** The receiver path its notifications arrive under. */
  path: string;
  /** The header value the notifications must carry. */
  token: string;
  /** The Code the criteria select. */
  code: string;
}

const PATIENT_WATCH = key<Watch>('patient-watch', 'the Patient subscription step made no subscription');
const HEADER = 'X-Openimis-Test';

const deadline = (t: StepContext) => Number(t.input('notification-deadline-ms') ?? '10000');
/** How long a step waits to be sure that nothing arrives. */
const QUIET_MS = 1_500;

/** Criteria selecting resources of a type by their Code, in the target's style. */
function criteriaFor(t: StepContext, type: string, code: string): string {
  if (t.input('criteria-style') === 'openimis')
    return `${type}?${type === 'Patient' ? 'chfid' : 'code'}=${code}`;
  return `${type}?identifier=${encodeURIComponent(code)}`;
}

/** A Subscription valid against openimis-subscription, notifying the receiver under a path of its own. */
async function subscribe(
  t: StepContext,
  type: string,
  criteria: string,
  endOffsetMs = 3_600_000,
): Promise<Omit<Watch, 'code'> | undefined> {
  const receiver = await t.receiver();
  const path = `/${t.unique('hook').replace(/[^A-Za-z0-9-]/g, '')}`;
  const token = randomUUID();
  const subscription = {
    resourceType: 'Subscription',
    meta: { profile: [PROFILE] },
    status: 'active',
    end: new Date(Date.now() + endOffsetMs).toISOString(),
    reason: type,
    criteria,
    channel: {
      type: 'rest-hook',
      endpoint: `${receiver.url}${path}`,
      header: [JSON.stringify({ [HEADER]: token })],
    },
  } as fhir4.Subscription;
  const stored = await create(t, subscription);
  if (!stored) return undefined;
  const reply = await t.get(`Subscription/${stored.id}`);
  t.expect(reply).status(200).valid(PROFILE);
  return { subscriptionId: stored.id, path, token };
}

/** The notifications the receiver got under a path. */
async function received(t: StepContext, path: string): Promise<ReceivedRequest[]> {
  return (await t.receiver()).received(path);
}

/** Waits for a notification under the path beyond the `seen` first ones; checks what it carries. */
async function expectNotified(
  t: StepContext,
  watch: Omit<Watch, 'code'>,
  seen: number,
  resource: { type: string; id: string },
): Promise<void> {
  const arrived = await t
    .eventually(async () => (await received(t, watch.path))[seen], { deadlineMs: deadline(t) })
    .catch(() => undefined);
  if (!arrived)
    return t.fail(
      `expected a notification for ${resource.type}/${resource.id} at the endpoint within ${deadline(t)} ms, found none`,
    );
  if (arrived.method !== 'POST' && arrived.method !== 'PUT')
    t.fail(`expected the notification as a POST (or a PUT with payload), found ${arrived.method}`);
  if (arrived.headers[HEADER.toLowerCase()] !== watch.token)
    t.fail(
      `expected the subscription's header ${HEADER}: ${watch.token} on the notification, found ${String(arrived.headers[HEADER.toLowerCase()])}`,
    );
  if (arrived.body.trim() === '') return; // R4 without payload: the notification carries no content
  let body: { resourceType?: unknown; id?: unknown } | undefined;
  try {
    body = JSON.parse(arrived.body) as { resourceType?: unknown; id?: unknown };
  } catch {
    return t.fail(
      'expected the notification body empty or the resource in JSON, found text that is not JSON',
    );
  }
  if (body.resourceType !== resource.type || body.id !== resource.id)
    t.fail(
      `expected the notification to carry ${resource.type}/${resource.id}, found ${String(body.resourceType)}/${String(body.id)}`,
    );
}

/** Waits the quiet period, then fails if anything arrived under the path beyond the `seen` first ones. */
async function expectNothing(t: StepContext, path: string, seen: number, why: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  const after = (await received(t, path)).length;
  if (after > seen) t.fail(`expected no notification ${why}, found ${after - seen}`);
}

async function createPatient(t: StepContext, code: string): Promise<string | undefined> {
  const marks = marksFor(t, 'subscribed');
  return (await create(t, openimisPatient({ ...marks, code })))?.id;
}

const patients: StepDefinition = {
  id: 'insuree-notified',
  title: 'A subscription on insurees: a matching create is notified, with the header',
  says: `${SUBSCRIPTION_PAGE} (rest-hook) and ${IG}/StructureDefinition-openimis-subscription.html: a resource that starts to meet the criteria is notified to the endpoint, with channel.header.`,
  needs: { interactions: ['Subscription:create', 'Patient:create'] },
  async run(t) {
    const code = marksFor(t, 'watched').code;
    const watch = await subscribe(t, 'Patient', criteriaFor(t, 'Patient', code));
    if (!watch) return;
    t.save(PATIENT_WATCH, { ...watch, code });
    const id = await createPatient(t, code);
    if (id) await expectNotified(t, watch, 0, { type: 'Patient', id });
  },
};

const notMatching: StepDefinition = {
  id: 'not-matching',
  title: 'A write that does not match the criteria is not notified',
  says: `${SUBSCRIPTION_PAGE}: notifications are sent for resources that meet the criteria, and no others.`,
  needs: { interactions: ['Patient:create'] },
  async run(t) {
    const watch = t.load(PATIENT_WATCH);
    const seen = (await received(t, watch.path)).length;
    await createPatient(t, marksFor(t, 'unwatched').code);
    await expectNothing(t, watch.path, seen, 'for a Patient the criteria do not select');
  },
};

const facilities: StepDefinition = {
  id: 'facility-notified',
  title: 'A subscription on health facilities: a matching create is notified',
  says: `${SUBSCRIPTION_PAGE} and ${IG}/StructureDefinition-openimis-subscription.html: openIMIS notifies health facility (Organization) changes.`,
  needs: { interactions: ['Subscription:create', 'Organization:create'] },
  async run(t) {
    const code = `HF${randomUUID().replace(/-/g, '').slice(0, 8)}`;
    const watch = await subscribe(t, 'Organization', criteriaFor(t, 'Organization', code));
    if (!watch) return;
    const { id: _id, text: _text, ...facility } = igExample<JsonObject>('Organization-rapta-hospital.json');
    const body = {
      ...facility,
      identifier: (facility.identifier as JsonObject[]).map((identifier) => ({
        ...identifier,
        value:
          (identifier.type as { coding: { code: string }[] }).coding[0]?.code === 'Code'
            ? code
            : randomUUID(),
      })),
    } as unknown as fhir4.Organization;
    const stored = await create(t, body);
    if (stored) await expectNotified(t, watch, 0, { type: 'Organization', id: stored.id });
  },
};

const priceList = priceListStep(
  'The price list, for a claim whose bill is an invoice to notify',
  `${IG}/StructureDefinition-openimis-activitiy-definition.html: a claim is priced from the price list.`,
);

const insuree = insureeStep(
  'subscription-insuree',
  'An insuree with a policy in force, whose valuated claim is billed',
  `${IG}/StructureDefinition-openimis-coverage.html: a claim is valuated for an insuree with a policy.`,
);

const invoices: StepDefinition = {
  id: 'invoice-notified',
  title: 'A subscription on invoices: the bill issued for a valuated claim is notified',
  says: `${SUBSCRIPTION_PAGE} and ${IG}/StructureDefinition-openimis-subscription.html: openIMIS notifies invoice and bill creation.`,
  needs: { interactions: ['Subscription:create', 'Claim:create'] },
  async run(t) {
    const watch = await subscribe(t, 'Invoice', 'Invoice');
    if (!watch) return;
    const { claim } = claimFor(t, t.load(INSUREE), [{ entry: t.load(PRICE_LIST).service }]);
    const submitted = await submitClaim(t, claim);
    t.expect(submitted.reply).status([200, 201]);
    const arrived = await t
      .eventually(async () => (await received(t, watch.path))[0], { deadlineMs: deadline(t) })
      .catch(() => undefined);
    if (!arrived)
      return t.fail(`expected a notification for the claim's bill within ${deadline(t)} ms, found none`);
    if (arrived.headers[HEADER.toLowerCase()] !== watch.token)
      t.fail(`expected the subscription's header ${HEADER} on the notification, found none`);
  },
};

const failing: StepDefinition = {
  id: 'failing-receiver',
  title: 'A receiver that keeps failing turns the subscription to error',
  says: `${SUBSCRIPTION_PAGE}: the server sets status error when it cannot deliver notifications (SHOULD).`,
  level: 'SHOULD',
  needs: { interactions: ['Subscription:create', 'Patient:create', 'Subscription:read'] },
  async run(t) {
    const code = marksFor(t, 'failing').code;
    const watch = await subscribe(t, 'Patient', criteriaFor(t, 'Patient', code));
    if (!watch) return;
    const receiver = await t.receiver();
    receiver.answerWith(500);
    try {
      await createPatient(t, code);
      let last: string | undefined;
      const status = await t
        .eventually(
          async () => {
            const current = resourceOf<fhir4.Subscription>(
              await t.get(`Subscription/${watch.subscriptionId}`),
              'Subscription',
            );
            last = current?.status;
            return last === 'error' ? last : undefined;
          },
          { deadlineMs: deadline(t) },
        )
        .catch(() => undefined);
      if (status !== 'error')
        t.fail(
          `expected Subscription/${watch.subscriptionId} to turn error while its receiver fails, found status ${last ?? 'unknown'}`,
        );
    } finally {
      receiver.answerWith(200);
    }
  },
};

const deleted: StepDefinition = {
  id: 'after-delete',
  title: 'Once the Subscription is deleted, nothing more arrives',
  says: `${SUBSCRIPTION_PAGE}: a subscription that no longer exists is not notified.`,
  needs: { interactions: ['Subscription:delete', 'Patient:create'] },
  async run(t) {
    const watch = t.load(PATIENT_WATCH);
    t.expect(await t.delete(`Subscription/${watch.subscriptionId}`)).status([200, 202, 204]);
    const seen = (await received(t, watch.path)).length;
    await createPatient(t, watch.code);
    await expectNothing(t, watch.path, seen, 'after the Subscription was deleted');
  },
};

const ended: StepDefinition = {
  id: 'after-end',
  title: 'Once its end has passed, nothing more arrives',
  says: `${SUBSCRIPTION_PAGE} (Subscription.end): the server stops sending notifications after the end.`,
  needs: { interactions: ['Subscription:create', 'Patient:create'] },
  async run(t) {
    const code = marksFor(t, 'ending').code;
    const watch = await subscribe(t, 'Patient', criteriaFor(t, 'Patient', code), 1_500);
    if (!watch) return;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await createPatient(t, code);
    await expectNothing(t, watch.path, 0, 'after the subscription ended');
  },
};

export const subscriptionScenario: ScenarioDefinition = {
  id: 'subscription',
  title: 'Server notifies subscribers of insurees, health facilities and invoices',
  description:
    'rest-hook subscriptions valid against openimis-subscription: matching writes are notified within the deadline with ' +
    'the header, others are not; a failing receiver turns the subscription error; after deletion or its end, nothing ' +
    'more arrives.',
  tags: ['openimis', 'subscription', 'workflow'],
  requirements: [SUBSCRIPTION_PAGE, PROFILE],
  needs: { resources: ['Subscription'] },
  inputs: [
    ...OPENIMIS_INPUTS,
    {
      name: 'criteria-style',
      description: 'how criteria select by Code: fhir (identifier=) or openimis (chfid= and code=)',
      default: 'fhir',
    },
    {
      name: 'notification-deadline-ms',
      description: 'how long to wait for a notification, in milliseconds',
      default: '10000',
    },
  ],
  steps: [patients, notMatching, facilities, priceList, insuree, invoices, failing, deleted, ended],
};
