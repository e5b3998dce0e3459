/**
 * `openimis-fhir site` on the project's IG: a page per profile, extension, CodeSystem, ValueSet and
 * example, linked to each other; checked as files, then in a real browser (search, navigation, the
 * snapshot opened, no error, nothing fetched from the network).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSiteCommand } from '../../harness/cli/site.js';
import { readInventory } from '../../harness/ig/inventory.js';
import { igPaths } from '../../harness/paths.js';
import { findChromium, watchPage } from '../support/browser.js';

const dir = mkdtempSync(join(tmpdir(), 'site-'));
const inventory = readInventory(igPaths().generatedResources);
beforeAll(async () => {
  expect(await runSiteCommand(['--out', dir, '--no-build'])).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (name: string) => readFileSync(join(dir, name), 'utf8');

describe('the site as files', () => {
  it('a page for every profile, extension, CodeSystem, ValueSet and example, and the index', () => {
    const pages = readdirSync(dir).filter((name) => name.endsWith('.html'));
    const expected =
      inventory.profiles.length +
      inventory.extensions.length +
      inventory.codeSystems.length +
      inventory.valueSets.length +
      inventory.examples.length +
      1;
    expect(pages).toHaveLength(expected);
    for (const sd of [...inventory.profiles, ...inventory.extensions])
      expect(existsSync(join(dir, `StructureDefinition-${sd.id}.html`)), sd.id).toBe(true);
  });

  it('every link between pages leads to a page of the site', () => {
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.html')))
      for (const [, href] of read(name).matchAll(/href="([^"#]+)(?:#[^"]*)?"/g))
        if (!/^https:\/\/hl7\.org\//.test(href ?? ''))
          expect(existsSync(join(dir, href ?? '')), `${name} -> ${href}`).toBe(true);
  });

  it('a profile page: elements with flags, cardinality, types, bindings, slices and its invariants', () => {
    const patient = read('StructureDefinition-openimis-patient.html');
    expect(patient).toMatch(
      /<code>identifier<\/code><div class="slicing">sliced by value:type\.coding\.code, open/,
    );
    expect(patient).toMatch(/<code>:Code<\/code>.*?<span class="flag ms"/s);
    expect(patient).toContain('href="StructureDefinition-patient-is-head.html"');
    expect(patient).toContain('href="ValueSet-openimis-identifiers.html"');
    expect(patient).toMatch(/<tr id="inv-oi-patient-1"><td><code>oi-patient-1<\/code><\/td><td>error<\/td>/);
    expect(patient).toContain('href="Patient-john-doe.html"');
  });

  it('terminology and examples: concepts, the JSON and its validation', () => {
    expect(read('CodeSystem-openimis-identifiers.html')).toMatch(
      /<code>Code<\/code><\/td><td>Unique code<\/td>/,
    );
    expect(read('ValueSet-openimis-identifiers.html')).toContain(
      'href="CodeSystem-openimis-identifiers.html"',
    );
    const example = read('Patient-john-doe.html');
    expect(example).toContain('href="StructureDefinition-openimis-patient.html"');
    expect(example).toMatch(/&quot;resourceType&quot;: &quot;Patient&quot;|"resourceType": "Patient"/);
    expect(example).toMatch(/<h2>Validation<\/h2>/);
  });
});

const chromium = findChromium();
if (!chromium)
  console.warn('site: no Chromium found (apt-get install chromium); the browser test is skipped');

describe.skipIf(!chromium)('the site in a headless browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    const { chromium: launcher } = await import('playwright-core');
    browser = await launcher.launch({ executablePath: chromium, args: ['--no-sandbox'] });
  });
  afterAll(async () => browser?.close());

  it('searches, follows links, opens the snapshot, logs no error, fetches nothing from the network', async () => {
    const page = await browser.newPage();
    const { problems, requests } = watchPage(page);
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);

    const all = await page.locator('li[data-search]').count();
    await page.fill('#search', 'insuree patient');
    const shown = page.locator('li[data-search]:visible');
    expect(await shown.count()).toBeGreaterThan(0);
    expect(await shown.count()).toBeLessThan(all);
    expect(await page.locator('#search-count').textContent()).toMatch(/^\d+ of \d+ match$/);
    // A section with nothing left hides.
    await page.fill('#search', 'openimis-patient');
    expect(await page.locator('section.kind-list:visible').count()).toBe(1);

    await page.locator('a', { hasText: 'openIMIS Patient (Insuree)' }).click();
    expect(page.url()).toMatch(/StructureDefinition-openimis-patient\.html$/);
    expect(await page.locator('#differential table.elements tbody tr').count()).toBeGreaterThan(20);
    const snapshot = page.locator('#snapshot details');
    expect(await snapshot.locator('table').isVisible()).toBe(false);
    await snapshot.locator('summary').click();
    expect(await snapshot.locator('table tbody tr').count()).toBeGreaterThan(100);

    await page.locator('#examples a', { hasText: 'Patient/john-doe' }).click();
    expect(await page.locator('pre.json').textContent()).toContain('"resourceType": "Patient"');
    await page.locator('header a').click();
    expect(page.url()).toMatch(/index\.html$/);

    expect(problems).toEqual([]);
    expect(requests.every((url) => url.startsWith('file://'))).toBe(true);
  }, 60_000);
});
