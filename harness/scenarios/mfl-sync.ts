/**
 * mfl-sync: openIMIS kept in step with a national master facility list (OpenHIE facility registry; IHE
 * mCSD). A second server stands for the registry, seeded with a hierarchy (a region, districts, facilities
 * with their Organizations and Endpoints); the sync engine brings it into the target, which must then hold
 * it, valid against the IG, and answer the mCSD queries on it (`_lastUpdated`, `partof`, `name:contains`,
 * `identifier`, `physicalType`, paging). Then the registry changes, adds and retires (deletes) records and
 * the next sync moves only the changed and the added (a deletion is not carried over: openIMIS keeps its
 * locations); an invalid record is logged with its OperationOutcome and not pushed.
 *
 * The registry is the run's helper server (the `test` command starts one); a target the sync engine cannot
 * reach with the run's connection fails the sync step with the reason.
 */
import type { JsonObject } from '../json.js';
import { IG } from '../openimis/payloads.js';
import { key } from '../runner/dsl.js';
import type { ScenarioDefinition, StepContext, StepDefinition } from '../runner/types.js';
import { runSync, type SyncReport } from '../sync/index.js';
import { facilityRegistry, registryLocation, registryTransaction } from './support/registry.js';
import { bundleOf, linkUrl, matchIds } from './support/replies.js';
import { MCSD_ITI_90, R4 } from './support/standards.js';

const FACILITY_REGISTRY =
  'https://guides.ohie.org/arch-spec/openhie-component-specifications-1/openhie-facility-registry-fr';
const LOCATION_PROFILE = `${IG}/StructureDefinition/openimis-location`;

interface Registry {
  url: string;
  prefix: string;
  resources: JsonObject[];
  /** When the first sync began: what the target holds since is this run's. */
  syncedFrom: string;
  /** The first sync's lastSync, for the next. */
  nextSince?: string;
}

const REGISTRY = key<Registry>('registry', 'the registry step has no registry to sync from');
const SYNCED = key<{ districtId: string; codes: string[] }>('synced', 'the first sync did not complete');

/** Codes and ids of the registry: `{prefix}R0`, `{prefix}R0D1F0`... */
const codeOf = (resource: JsonObject) =>
  ((resource.identifier as { type?: { coding?: { code?: string }[] }; value?: string }[]) ?? []).find(
    (identifier) => identifier.type?.coding?.[0]?.code === 'Code',
  )?.value;

async function put(t: StepContext, registry: Registry, resources: JsonObject[]): Promise<boolean> {
  const answer = await fetch(registry.url, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify(registryTransaction(resources)),
  }).catch((error: Error) => error);
  if (answer instanceof Error || answer.status !== 200) {
    t.fail(
      `expected the registry to take its records, found ${answer instanceof Error ? answer.message : `HTTP ${answer.status}`}`,
    );
    return false;
  }
  return true;
}

/** The failed entries of a report, for a message: `; failed: Location/x (validate: why)`. */
const failedEntries = (report: SyncReport) =>
  report.failures.length === 0
    ? ''
    : `; failed: ${report.failures.map((f) => `${f.reference} (${f.stage}: ${f.outcome.issue?.[0]?.details?.text ?? f.outcome.issue?.[0]?.code ?? ''})`).join('; ')}`;

async function sync(t: StepContext, registry: Registry, since?: string): Promise<SyncReport> {
  return runSync({ from: { baseUrl: registry.url }, to: t.target, ...(since ? { since } : {}) });
}

/** The target's Locations for a query, their ids; the search itself expected to answer a Bundle. */
async function locations(t: StepContext, query: string): Promise<{ ids: string[]; bundle?: fhir4.Bundle }> {
  const reply = await t.get(`Location?${query}`);
  t.expect(reply).status(200).resourceType('Bundle');
  const bundle = bundleOf(reply);
  return { ids: bundle ? matchIds(bundle, 'Location') : [], ...(bundle ? { bundle } : {}) };
}

const registryStep: StepDefinition = {
  id: 'registry',
  title: 'A registry seeded with a hierarchy: a region, districts, facilities',
  says: `${FACILITY_REGISTRY} and ${MCSD_ITI_90}: the master facility list holds the hierarchy and the facilities with their organizations and endpoints.`,
  needs: {},
  async run(t) {
    const helper = await t.helperServer();
    if (!helper)
      return t.skip('the run has no server to stand for the registry (the test command gives one)');
    const prefix = `M${t
      .unique('mfl')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(-8)}`;
    const resources = facilityRegistry(
      { regions: 1, districtsPerRegion: 2, facilitiesPerDistrict: 2 },
      prefix,
    );
    const registry: Registry = { url: helper.url, prefix, resources, syncedFrom: new Date().toISOString() };
    if (await put(t, registry, resources)) t.save(REGISTRY, registry);
  },
};

const firstSync: StepDefinition = {
  id: 'first-sync',
  title: 'The first sync brings the hierarchy in: created, valid, parents resolved',
  says: `${FACILITY_REGISTRY}: new records are created in the receiving system (201), their references to each other kept; ${LOCATION_PROFILE}.`,
  needs: { interactions: ['Location:create', 'Location:search-type', 'Organization:create'] },
  async run(t) {
    const registry = t.load(REGISTRY);
    registry.syncedFrom = new Date().toISOString();
    const report = await sync(t, registry);
    if (!report.completed)
      return t.fail(`expected the sync to complete, found it stopped: ${report.stopped}`);
    if (report.failures.length > 0)
      t.fail(
        `expected no failed entry, found ${report.failures.map((f) => `${f.reference} (${f.stage})`).join(', ')}`,
      );
    const expected = registry.resources.length;
    if (report.counts.created !== expected)
      t.fail(
        `expected ${expected} records created, found ${report.counts.created} (${JSON.stringify(report.counts)})`,
      );
    registry.nextSince = report.nextSince;
    const codes = registry.resources
      .filter((r) => r.resourceType === 'Location')
      .map((r) => codeOf(r) as string);
    let districtId: string | undefined;
    for (const code of codes) {
      const reply = await t.get(`Location?identifier=${encodeURIComponent(code)}`);
      const found = bundleOf(reply)
        ?.entry?.map((e) => e.resource)
        .find((r) => r?.resourceType === 'Location');
      if (!found?.id) {
        t.fail(`expected the target to hold the Location with the Code ${code}, found none`);
        continue;
      }
      t.track(`Location/${found.id}`);
      t.expect({ ...reply, json: found, text: JSON.stringify(found) }).valid(LOCATION_PROFILE);
      if (code === `${registry.prefix}R0D0`) districtId = found.id;
    }
    for (const organization of registry.resources.filter((r) => r.resourceType !== 'Location')) {
      const code = codeOf(organization) ?? (organization.identifier as { value: string }[])[0]?.value;
      const found = bundleOf(
        await t.get(`${String(organization.resourceType)}?identifier=${encodeURIComponent(code ?? '')}`),
      )
        ?.entry?.map((e) => e.resource)
        .find((r) => r?.resourceType === organization.resourceType);
      if (found?.id) t.track(`${found.resourceType}/${found.id}`);
    }
    if (districtId) t.save(SYNCED, { districtId, codes });
  },
};

const queries: StepDefinition = {
  id: 'query-side',
  title: 'The target answers the mCSD queries on what it holds',
  says: `${MCSD_ITI_90}: Location searched by _lastUpdated (gt, ge), partof, name:contains, identifier and the IG's physicalType, with paging; ${R4}/search.html.`,
  needs: { interactions: ['Location:search-type'] },
  async run(t) {
    const registry = t.load(REGISTRY);
    const { districtId, codes } = t.load(SYNCED);
    const since = await locations(t, `_lastUpdated=ge${encodeURIComponent(registry.syncedFrom)}&_count=100`);
    if (since.ids.length < codes.length)
      t.fail(
        `expected _lastUpdated=ge the sync's start to find the ${codes.length} Locations it made, found ${since.ids.length}`,
      );
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const none = await locations(t, `_lastUpdated=gt${encodeURIComponent(future)}`);
    if (none.ids.length > 0)
      t.fail(`expected _lastUpdated=gt an hour ahead to find nothing, found ${none.ids.length}`);
    const children = await locations(t, `partof=${encodeURIComponent(`Location/${districtId}`)}`);
    if (children.ids.length !== 2)
      t.fail(`expected the district's 2 facility sites under partof, found ${children.ids.length}`);
    const named = await locations(t, `name:contains=${encodeURIComponent(`${registry.prefix} 0.1`)}`);
    if (named.ids.length !== 1)
      t.fail(`expected name:contains to find the one district named so, found ${named.ids.length}`);
    // The IG's physicalType search parameter (the backend's: physicalType=si for health facilities).
    const regions = await locations(
      t,
      `physicalType=R&identifier=${encodeURIComponent(`${registry.prefix}R0`)}`,
    );
    if (regions.ids.length !== 1)
      t.fail(`expected the region by identifier and physicalType=R, found ${regions.ids.length}`);
    const notRegions = await locations(
      t,
      `physicalType=D&identifier=${encodeURIComponent(`${registry.prefix}R0`)}`,
    );
    if (notRegions.ids.length !== 0)
      t.fail(`expected physicalType=D to leave the region out, found ${notRegions.ids.length}`);
    const first = await locations(t, `_lastUpdated=ge${encodeURIComponent(registry.syncedFrom)}&_count=2`);
    const next = first.bundle ? linkUrl(first.bundle, 'next') : undefined;
    if (!next) return t.fail('expected a next link on a page of 2 of more matches, found none');
    const second = await t.get(next);
    t.expect(second).status(200).resourceType('Bundle');
    const page2 = bundleOf(second);
    const overlap = (page2 ? matchIds(page2, 'Location') : []).filter((id) => first.ids.includes(id));
    if (overlap.length > 0)
      t.fail(
        `expected the second page to hold other Locations than the first, found ${overlap.join(', ')} again`,
      );
  },
};

const deltas: StepDefinition = {
  id: 'deltas-only',
  title: 'Changed, added and retired records in the registry: the next sync moves only those',
  says: `${FACILITY_REGISTRY}: the periodic query asks for what changed since the last sync (_lastUpdated), and the receiving system updates (200) what changed, creates (201) what is new, and leaves the rest.`,
  needs: { interactions: ['Location:update'] },
  async run(t) {
    const registry = t.load(REGISTRY);
    t.load(SYNCED);
    const byId = new Map(registry.resources.map((r) => [String(r.id), r]));
    const district = byId.get(`${registry.prefix}-r0-d0`) as JsonObject;
    const retired = `${registry.prefix}-r0-d1-f1`;
    const changed = [
      { ...district, name: `${String(district.name)} (renamed)` },
      registryLocation(
        `${registry.prefix}-r0-d7`,
        `${registry.prefix}R0D7`,
        `District ${registry.prefix} added`,
        'D',
        `${registry.prefix}-r0`,
      ),
    ];
    if (!(await put(t, registry, changed))) return;
    // Retired: the registry deletes the facility site. A deletion is not carried over (openIMIS keeps
    // its locations; insurees and claims refer to them): the target keeps it, untouched.
    const deleted = await fetch(`${registry.url}/Location/${retired}`, { method: 'DELETE' }).catch(
      (e: Error) => e,
    );
    if (deleted instanceof Error || deleted.status >= 300)
      return t.fail(
        `expected the registry to delete the retired site, found ${deleted instanceof Error ? deleted.message : `HTTP ${deleted.status}`}`,
      );
    const report = await sync(t, registry, registry.nextSince);
    if (!report.completed)
      return t.fail(`expected the sync to complete, found it stopped: ${report.stopped}`);
    if (report.counts.created !== 1 || report.counts.updated !== 1 || report.counts.failed !== 0)
      t.fail(
        `expected 1 record created (the added district) and 1 updated (the renamed one), found ${JSON.stringify(report.counts)}${failedEntries(report)}`,
      );
    const kept = await locations(t, `identifier=${encodeURIComponent(`${registry.prefix}R0D1F1`)}`);
    if (kept.ids.length !== 1)
      t.fail(`expected the target to keep the retired site, found ${kept.ids.length}`);
    const added = await t.get(`Location?identifier=${encodeURIComponent(`${registry.prefix}R0D7`)}`);
    const addedId = bundleOf(added)?.entry?.[0]?.resource?.id;
    if (addedId) t.track(`Location/${addedId}`);
    const again = await sync(t, registry, report.nextSince);
    if (again.counts.created + again.counts.updated > 0)
      t.fail(`expected a sync with nothing changed to write nothing, found ${JSON.stringify(again.counts)}`);
  },
};

const invalid: StepDefinition = {
  id: 'invalid-logged',
  title: 'An invalid record in the registry is logged with its OperationOutcome, and not pushed',
  says: `${FACILITY_REGISTRY}: records the mediator cannot validate are logged for an administrator and not sent on.`,
  needs: { interactions: ['Location:search-type'] },
  async run(t) {
    const registry = t.load(REGISTRY);
    const code = `${registry.prefix}BAD`;
    const broken = {
      ...registryLocation(`${registry.prefix}-bad`, code, 'Broken level', 'D'),
      physicalType: { text: 'not coded' },
    };
    const since = new Date().toISOString();
    if (!(await put(t, registry, [broken]))) return;
    const report = await sync(t, registry, since);
    const logged = report.failures.find((f) => f.reference === `Location/${registry.prefix}-bad`);
    if (!logged) return t.fail('expected the broken record among the failed entries, found it not logged');
    if (!(logged.outcome.issue ?? []).some((issue) => issue.severity === 'error'))
      t.fail('expected the logged OperationOutcome to say what is wrong with an error issue, found none');
    const pushed = await locations(t, `identifier=${encodeURIComponent(code)}`);
    if (pushed.ids.length > 0)
      t.fail(`expected the broken record not pushed, found ${pushed.ids.length} in the target`);
  },
};

export const mflSyncScenario: ScenarioDefinition = {
  id: 'mfl-sync',
  title: 'Server keeps its facilities in step with a master facility list',
  description:
    'A registry holds a hierarchy; the sync brings it into the target (created, valid, references resolved); the target ' +
    'answers the mCSD queries; changes, additions and retirements move alone on the next sync; an invalid record is ' +
    'logged and not pushed.',
  tags: ['openimis', 'mcsd', 'workflow'],
  requirements: [FACILITY_REGISTRY, MCSD_ITI_90, LOCATION_PROFILE],
  needs: { resources: ['Location', 'Organization'] },
  steps: [registryStep, firstSync, queries, deltas, invalid],
};
