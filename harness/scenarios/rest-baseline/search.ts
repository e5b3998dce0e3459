/**
 * rest-baseline, searching: a paged search over Patients it makes (r12), the same by POST (r13),
 * `_lastUpdated` prefixes (r14) and an unknown parameter (r15).
 */
import type { StepDefinition } from '../../runner/types.js';
import { openimisPatient } from '../support/ig-resources.js';
import { marksFor } from '../support/patients.js';
import { bundleOf, linkUrl, matchIds, sameIds } from '../support/replies.js';
import { FORM, HTTP, MCSD_ITI_90, PDQM_ITI_78, R4 } from '../support/standards.js';
import { create, type Stored } from '../support/writes.js';
import { SEARCH } from './keys.js';

export const searchPaging: StepDefinition = {
  id: 'r12-search',
  title: 'A paged search returns a searchset with fetchable next links',
  says: `${HTTP}#search and ${R4}/search.html: a search answers a searchset Bundle whose self link shows the parameters used; further pages come as a next link the client follows as is (an absolute URL); entries carry fullUrl and search.mode match; total is optional in core but required by PDQm (${PDQM_ITI_78}).`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:search-type'] },
  async run(t) {
    const family = marksFor(t, 'r12').family;
    const created: Stored<fhir4.Patient>[] = [];
    for (let i = 0; i < 3; i += 1) {
      const stored = await create(t, openimisPatient({ ...marksFor(t, `r12-${i}`), family }));
      if (!stored) return;
      created.push(stored);
    }
    const ids = created.map((stored) => stored.id);

    const reply = await t.get(`Patient?family=${family}&_count=2`);
    t.expect(reply).status(200).resourceType('Bundle').fhirpath('type', 'searchset');
    const bundle = bundleOf(reply);
    if (!bundle) return;

    const self = linkUrl(bundle, 'self');
    const selfParams = self ? new URL(self, `${t.base}/`).searchParams : undefined;
    t.expect(reply).that(
      () => selfParams?.get('family') === family,
      `expected a self link with family=${family}, found ${self ?? 'no self link'}`,
    );
    t.should(reply).that(
      () => selfParams?.get('_count') === '2',
      `expected the self link to keep _count=2, found ${self ?? 'no self link'}`,
    );
    t.expect(reply).that(
      () =>
        (bundle.entry ?? []).every((entry) => entry.fullUrl !== undefined && entry.search?.mode === 'match'),
      `expected every entry with a fullUrl and search.mode match, found ${JSON.stringify(
        (bundle.entry ?? []).map((entry) => ({ fullUrl: entry.fullUrl, mode: entry.search?.mode })),
      )}`,
    );
    t.should(reply).fhirpath('total', 3);

    const firstPage = matchIds(bundle);
    t.should(reply).that(
      () => firstPage.length <= 2,
      `expected at most 2 entries (_count=2), found ${firstPage.length}`,
    );
    let found = firstPage;
    if (firstPage.length < ids.length) {
      const next = linkUrl(bundle, 'next');
      t.expect(reply).that(
        () => next !== undefined && /^https?:\/\//.test(next),
        `expected an absolute next link (3 matches, 2 per page), found ${next ?? 'none'}`,
      );
      if (next !== undefined && /^https?:\/\//.test(next)) {
        const page = await t.request('GET', next);
        t.expect(page).status(200).resourceType('Bundle').fhirpath('type', 'searchset');
        const nextBundle = bundleOf(page);
        found = [...firstPage, ...(nextBundle ? matchIds(nextBundle) : [])];
      }
    }
    t.expect(reply).that(
      () => sameIds([...new Set(found)], ids),
      `expected the pages to hold exactly the 3 Patients named ${family} (${ids.join(', ')}), found ${found.join(', ') || 'none'}`,
    );

    const first = created[0];
    if (first?.lastUpdated !== undefined)
      t.save(SEARCH, { family, ids, first: { id: first.id, lastUpdated: first.lastUpdated } });
    else t.fail('expected the created Patient to carry meta.lastUpdated, found none');
  },
};

export const searchByPost: StepDefinition = {
  id: 'r13-search-post',
  title: 'POST Patient/_search finds what GET finds',
  says: `${HTTP}#search: a search may be sent as POST [base]/[type]/_search with the parameters form-encoded, with the same results as GET (SHALL).`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:search-type'] },
  async run(t) {
    const fixture = t.load(SEARCH);
    const reply = await t.post('Patient/_search', `family=${fixture.family}`, {
      headers: { 'content-type': FORM },
    });
    t.expect(reply).status(200).resourceType('Bundle').fhirpath('type', 'searchset');
    const bundle = bundleOf(reply);
    const found = bundle ? matchIds(bundle) : [];
    t.expect(reply).that(
      () => sameIds(found, fixture.ids),
      `expected the 3 Patients named ${fixture.family} (${fixture.ids.join(', ')}), found ${found.join(', ') || 'none'}`,
    );
  },
};

export const searchLastUpdated: StepDefinition = {
  id: 'r14-last-updated',
  title: '_lastUpdated prefixes respect the boundary',
  says: `${R4}/search.html (date prefixes) on _lastUpdated: gt excludes the instant itself, ge includes it, lt/le likewise; mCSD (${MCSD_ITI_90}) requires gt, lt, ge, le, sa and eb.`,
  level: 'MUST',
  needs: { interactions: ['Patient:create', 'Patient:search-type'] },
  async run(t) {
    const { first } = t.load(SEARCH);
    const instant = Date.parse(first.lastUpdated);
    const shifted = (ms: number) => new Date(instant + ms).toISOString();
    const check = async (prefix: string, at: string, included: boolean, level: 'MUST' | 'SHOULD') => {
      const query = `_id=${first.id}&_lastUpdated=${prefix}${encodeURIComponent(at)}`;
      const reply = await t.get(`Patient?${query}`);
      const bundle = bundleOf(reply);
      const ids = bundle ? matchIds(bundle) : [];
      const expectation = level === 'MUST' ? t.expect(reply) : t.should(reply);
      expectation
        .status(200)
        .that(
          () => ids.includes(first.id) === included,
          `_lastUpdated=${prefix}${at} (the Patient's lastUpdated is ${first.lastUpdated}): expected it ${included ? 'found' : 'left out'}, found it ${ids.includes(first.id) ? 'found' : 'left out'}`,
        );
    };
    // The instant exactly as the server wrote it, so no precision is lost or gained.
    await check('gt', first.lastUpdated, false, 'MUST');
    await check('ge', first.lastUpdated, true, 'MUST');
    await check('lt', first.lastUpdated, false, 'MUST');
    await check('le', first.lastUpdated, true, 'MUST');
    await check('gt', shifted(-1000), true, 'MUST');
    await check('lt', shifted(1000), true, 'MUST');
    await check('sa', shifted(-1000), true, 'SHOULD');
    await check('eb', shifted(1000), true, 'SHOULD');
  },
};

export const unknownParameter: StepDefinition = {
  id: 'r15-unknown-parameter',
  title: 'An unknown search parameter is ignored, or refused under handling=strict',
  says: `${HTTP}#search and ${R4}/search.html: by default an unknown parameter is ignored and left out of the self link; with Prefer: handling=strict the server refuses the search with 400 and an OperationOutcome (recall: warns only).`,
  level: 'SHOULD',
  needs: { interactions: ['Patient:create', 'Patient:search-type'] },
  async run(t) {
    const fixture = t.load(SEARCH);
    const query = `Patient?family=${fixture.family}&made-up-parameter=1`;
    const lenient = await t.get(query);
    t.expect(lenient).status(200).resourceType('Bundle');
    const bundle = bundleOf(lenient);
    const found = bundle ? matchIds(bundle) : [];
    t.expect(lenient).that(
      () => sameIds(found, fixture.ids),
      `expected the unknown parameter ignored and the 3 Patients named ${fixture.family} found, found ${found.join(', ') || 'none'}`,
    );
    const self = bundle ? linkUrl(bundle, 'self') : undefined;
    t.expect(lenient).that(
      () => self !== undefined && !new URL(self, `${t.base}/`).searchParams.has('made-up-parameter'),
      `expected a self link without the ignored parameter, found ${self ?? 'no self link'}`,
    );

    const strict = await t.get(query, { headers: { prefer: 'handling=strict' } });
    t.expect(strict).status(400).outcome();
  },
};
