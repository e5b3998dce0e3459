/**
 * Subscriptions (subscription.html, R4 rest-hook), heard on `Storage.onCommit`: every create and update
 * is matched against the active subscriptions of its type and each match queued for delivery
 * (delivery.ts), after the write has been answered, so a delivery never delays or fails it.
 *
 * - A Subscription written with status `requested` is stored `active`. One that the server cannot serve
 *   (a channel other than rest-hook, an endpoint that is not an http(s) URL, criteria it cannot read, a
 *   payload type it does not speak) is refused with 422.
 * - R4 flavour: without `channel.payload` the notification is a POST with no body; with one, the resource
 *   is PUT to `{endpoint}/{Type}/{id}` in that format (FHIR JSON or XML). `channel.header` entries are
 *   sent: `Name: value`, or a JSON object string (openIMIS's form) whose members are the headers. When a
 *   notification's last try fails the subscription turns `error`, the failure in `error`; the next
 *   success turns it `active` again. Past `end` nothing is sent and it turns `off`.
 * - openIMIS flavour (`serve --subscriptions openimis`): criteria on insurees, health facilities and
 *   invoices with Django field lookups (criteria.ts); status active or off; `end` required; one header,
 *   a JSON object string; the bare resource POSTed as application/json; failures are not written back
 *   (openIMIS logs them).
 * - With a journal, notifications not yet delivered are kept beside it (log.ts) and sent after a restart.
 * - The server does not notify itself: an endpoint on its own port on this machine is refused, and an
 *   update that leaves the content as it was is not notified (a notification PUT back to the server
 *   would otherwise start a loop). A subscription with 1,000 notifications waiting turns error and the
 *   next are dropped, so a dead endpoint cannot grow the server's memory.
 */
import { isJsonObject, sortKeys, stringOf, type JsonObject } from '../../json.js';
import type { ServerServices, TypePlugin, WriteContext, WritePlan } from '../extension-points.js';
import { toXml } from '../formats.js';
import { badRequest, OutcomeError } from '../outcomes.js';
import { isSearchError } from '../search/index.js';
import type { Change, ResourceVersion } from '../storage/types.js';
import { parseCriteria, type Criteria, type Flavour } from './criteria.js';
import { Deliveries, type DeliveryOptions, type DeliveryOutcome, type Notification } from './delivery.js';
import { DeliveryLog } from './log.js';

export type { Flavour } from './criteria.js';

export interface SubscriptionOptions extends DeliveryOptions {
  /** 'r4' (default): subscription.html's rest-hook. 'openimis': as the openIMIS backend notifies. */
  flavour?: Flavour;
  /** Where notifications not yet delivered are kept across a restart (the server gives `{db}.deliveries`). */
  logPath?: string;
}

const JSON_PAYLOADS = new Set(['application/fhir+json', 'application/json', 'application/json+fhir']);
const XML_PAYLOADS = new Set(['application/fhir+xml', 'application/xml', 'application/xml+fhir']);

/** A subscription the server delivers for, as read from its stored version. */
interface Served {
  id: string;
  status: string;
  criteria: Criteria;
  endpoint: string;
  payload?: string;
  headers: Record<string, string>;
  /** `end` as epoch ms. */
  end?: number;
}

const refuse = (text: string, expression: string) =>
  new OutcomeError(422, badRequest(text, expression).outcome);

export class Subscriptions {
  private readonly served = new Map<string, Served>();
  private readonly deliveries: Deliveries;
  private readonly flavour: Flavour;
  private readonly log: DeliveryLog;
  /** The server's own port, once it listens: an endpoint on it would notify the server itself. */
  private ownPort: number | undefined;

  constructor(
    private readonly server: ServerServices,
    options: SubscriptionOptions = {},
  ) {
    this.flavour = options.flavour ?? 'r4';
    this.deliveries = new Deliveries(options);
    const { storage } = server.parts;
    for (const id of storage.ids('Subscription')) {
      const resource = storage.read('Subscription', id)?.resource;
      if (resource) this.remember(resource);
    }
    storage.onCommit((versions) => this.heard(versions));
    // What a previous run queued and never delivered is sent now, in the order it was queued.
    const { log, pending } = DeliveryLog.open(options.logPath);
    this.log = log;
    for (const entry of pending) {
      const [type = '', id = '', , versionId = ''] = entry.version.split('/');
      const version = storage.vread(type, id, versionId);
      const subscription = this.served.get(entry.subscription);
      if (version?.resource && subscription) this.enqueue(subscription, version);
      else log.done(entry);
    }
  }

  readonly plugin: TypePlugin = {
    type: 'Subscription',
    documentation:
      'rest-hook subscriptions: creates and updates matching the criteria are notified to the endpoint after the write is answered; a subscription whose deliveries fail turns error, one past its end turns off.',
    write: (context, plan) => this.onWrite(context, plan),
  };

  /** The port the server listens on (the HTTP layer says it once it listens). */
  listeningOn(port: number): void {
    this.ownPort = port;
  }

  /** Resolves when every notification made so far has been delivered or given up (for tests and benches). */
  idle(): Promise<void> {
    return this.deliveries.idle();
  }

  close(): void {
    this.deliveries.close();
  }

  private onWrite(context: WriteContext, plan: WritePlan): WritePlan | undefined {
    if (!context.resource || (context.interaction !== 'create' && context.interaction !== 'update'))
      return undefined;
    const subscription = context.resource;
    this.check(subscription);
    if (subscription.status !== 'requested') return undefined;
    // The server takes what it can serve at once: requested becomes active.
    const [own, ...rest] = plan.changes;
    if (!own || own.kind !== 'write') return undefined;
    return {
      changes: [{ ...own, resource: { ...subscription, status: 'active' } }, ...rest],
      answer: plan.answer,
    };
  }

  /** Refuses what the server cannot serve; every rule names the element at fault. */
  private check(subscription: JsonObject): void {
    const channel = isJsonObject(subscription.channel) ? subscription.channel : {};
    if (channel.type !== 'rest-hook')
      throw refuse(
        `Only rest-hook channels are served, not '${String(channel.type)}'`,
        'Subscription.channel.type',
      );
    const endpoint = stringOf(channel.endpoint);
    if (!endpoint || !/^https?:\/\/[^\s/]+/i.test(endpoint) || !URL.canParse(endpoint))
      throw refuse('A rest-hook needs an http(s) URL as its endpoint', 'Subscription.channel.endpoint');
    if (this.isSelf(new URL(endpoint)))
      throw refuse(
        'The endpoint is this server: its notifications would write to it, and each write notify again',
        'Subscription.channel.endpoint',
      );
    const criteria = parseCriteria(String(subscription.criteria ?? ''), this.flavour, (name) =>
      this.server.parts.definitions.isResourceType(name),
    );
    if ('error' in criteria) throw refuse(`The ${criteria.error}`, 'Subscription.criteria');
    const payload = stringOf(channel.payload)?.split(';')[0]?.trim();
    if (payload !== undefined && !JSON_PAYLOADS.has(payload) && !XML_PAYLOADS.has(payload))
      throw refuse(`Payloads of type '${payload}' are not served`, 'Subscription.channel.payload');
    const headers = Array.isArray(channel.header) ? channel.header : [];
    if (headers.some((header) => typeof header !== 'string' || parseHeader(header) === undefined))
      throw refuse(
        "Each header is 'Name: value' or a JSON object string of names and values",
        'Subscription.channel.header',
      );
    if (this.flavour !== 'openimis') return;
    if (subscription.status !== 'active' && subscription.status !== 'off')
      throw refuse('openIMIS accepts only the statuses active and off', 'Subscription.status');
    if (stringOf(subscription.end) === undefined)
      throw refuse('openIMIS requires the end of a subscription', 'Subscription.end');
    if (payload !== undefined)
      throw refuse('openIMIS sends the bare resource: no payload', 'Subscription.channel.payload');
    const first = headers[0];
    if (first !== undefined && !isJsonObject(parseJsonObject(String(first))))
      throw refuse('openIMIS takes the header as one JSON object string', 'Subscription.channel.header');
  }

  /** Whether a URL reaches this server on this machine (its port, on a loopback address). */
  private isSelf(url: URL): boolean {
    if (this.ownPort === undefined) return false;
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const loopback = host === 'localhost' || host === '::1' || host === '0.0.0.0' || /^127\./.test(host);
    return port === this.ownPort && loopback;
  }

  /** Whether an update left the resource as it was (a PUT of the same content: nothing to notify). */
  private unchanged(version: ResourceVersion): boolean {
    const number = Number(version.versionId);
    if (version.method === 'POST' || !(number > 1) || !version.resource) return false;
    const previous = this.server.parts.storage.vread(version.type, version.id, String(number - 1))?.resource;
    return previous !== undefined && sameContent(previous, version.resource);
  }

  /** What a Subscription's stored version says the server delivers. */
  private remember(resource: JsonObject): void {
    const id = stringOf(resource.id);
    if (!id) return;
    this.served.delete(id);
    const status = stringOf(resource.status) ?? '';
    if (status !== 'active' && status !== 'error') return;
    const channel = isJsonObject(resource.channel) ? resource.channel : {};
    const criteria = parseCriteria(String(resource.criteria ?? ''), this.flavour, (name) =>
      this.server.parts.definitions.isResourceType(name),
    );
    const endpoint = stringOf(channel.endpoint);
    if ('error' in criteria || !endpoint) return;
    const entries = (Array.isArray(channel.header) ? channel.header : []).filter(
      (header): header is string => typeof header === 'string',
    );
    // openIMIS keeps only the first header.
    const kept = this.flavour === 'openimis' ? entries.slice(0, 1) : entries;
    const headers = Object.assign({}, ...kept.map((header) => parseHeader(header) ?? {})) as Record<
      string,
      string
    >;
    const end = Date.parse(stringOf(resource.end) ?? '');
    const payload = stringOf(channel.payload);
    this.served.set(id, {
      id,
      status,
      criteria,
      endpoint,
      headers,
      ...(payload ? { payload } : {}),
      ...(Number.isNaN(end) ? {} : { end }),
    });
  }

  private heard(versions: ResourceVersion[]): void {
    for (const version of versions) {
      if (version.type === 'Subscription') {
        if (version.resource) this.remember(version.resource);
        else this.served.delete(version.id);
        continue;
      }
      if (!version.resource || version.method === 'DELETE') continue;
      let unchanged: boolean | undefined; // compared once, only when a subscription is on the type
      for (const subscription of this.served.values()) {
        if (subscription.criteria.type !== version.type) continue;
        if (subscription.end !== undefined && subscription.end <= Date.now()) {
          // Past its end: off, written after this commit (a listener does not commit).
          setImmediate(() => this.setStatus(subscription.id, 'off'));
          continue;
        }
        unchanged ??= this.unchanged(version);
        if (!unchanged && this.matches(subscription.criteria, version)) this.enqueue(subscription, version);
      }
    }
  }

  private enqueue(subscription: Served, version: ResourceVersion): void {
    const entry = {
      subscription: subscription.id,
      version: `${version.type}/${version.id}/_history/${version.versionId}`,
    };
    const queued = this.deliveries.send(
      subscription.id,
      this.notification(subscription, version),
      (outcome) => {
        this.log.done(entry);
        this.delivered(subscription.id, outcome);
      },
    );
    if (queued) this.log.queued(entry);
    // Too many waiting: this one is dropped, and the subscription says why (written after this commit).
    else if (this.flavour !== 'openimis')
      setImmediate(() =>
        this.setStatus(subscription.id, 'error', 'too many notifications are waiting: some were dropped'),
      );
  }

  private matches(criteria: Criteria, version: ResourceVersion): boolean {
    if (criteria.flavour === 'openimis') return criteria.test(version.resource as JsonObject);
    const result = this.server.parts.search.search(version.type, [...criteria.params, ['_id', version.id]]);
    return (
      !isSearchError(result) && result.unknown.length === 0 && result.matches.some((m) => m.id === version.id)
    );
  }

  private notification(subscription: Served, version: ResourceVersion): Notification {
    const resource = version.resource as JsonObject;
    const json = () => version.json ?? JSON.stringify(resource);
    if (this.flavour === 'openimis')
      return {
        method: 'POST',
        url: subscription.endpoint,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...subscription.headers },
        body: json(),
      };
    if (subscription.payload === undefined)
      return { method: 'POST', url: subscription.endpoint, headers: { ...subscription.headers } };
    const xml = XML_PAYLOADS.has(subscription.payload.split(';')[0]?.trim() ?? '');
    return {
      method: 'PUT',
      url: `${subscription.endpoint.replace(/\/+$/, '')}/${version.type}/${version.id}`,
      headers: { 'content-type': subscription.payload, ...subscription.headers },
      body: xml ? toXml(resource) : json(),
    };
  }

  /** R4: a failed notification turns the subscription error, the next success active again. */
  private delivered(id: string, outcome: DeliveryOutcome): void {
    if (this.flavour === 'openimis') return;
    const status = this.served.get(id)?.status;
    if (!outcome.ok && status === 'active') this.setStatus(id, 'error', outcome.error);
    else if (outcome.ok && status === 'error') this.setStatus(id, 'active');
  }

  /** Writes a status (and its error) on the stored Subscription, unless a client changed it meanwhile. */
  private setStatus(id: string, status: string, error?: string): void {
    const { storage } = this.server.parts;
    const current = storage.read('Subscription', id);
    const resource = current?.resource;
    if (!current || !resource || resource.status === status) return;
    const { error: _previous, ...rest } = resource;
    const change: Change = {
      kind: 'write',
      type: 'Subscription',
      id,
      method: 'PUT',
      resource: { ...rest, status, ...(error !== undefined ? { error } : {}) },
      ifVersion: current.versionId,
    };
    try {
      storage.commit([change]);
    } catch {
      // Changed meanwhile (a version conflict): the client's version stands. Nothing may escape here:
      // this runs after the write that caused it, where an exception would end the server.
    }
  }
}

/** Two versions of a resource with the same content (their meta aside). */
function sameContent(a: JsonObject, b: JsonObject): boolean {
  const { meta: _a, ...left } = a;
  const { meta: _b, ...right } = b;
  return JSON.stringify(sortKeys(left)) === JSON.stringify(sortKeys(right));
}

/** `Name: value`, or a JSON object string of names and string values; undefined when it is neither. */
function parseHeader(header: string): Record<string, string> | undefined {
  const object = parseJsonObject(header);
  if (object !== undefined)
    return Object.values(object).every((value) => typeof value === 'string')
      ? (object as Record<string, string>)
      : undefined;
  const match = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):\s*(.*)$/.exec(header);
  return match ? { [match[1] as string]: match[2] as string } : undefined;
}

function parseJsonObject(text: string): JsonObject | undefined {
  if (!text.trim().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
