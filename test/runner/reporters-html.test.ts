import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHtml } from '../../harness/runner/reporters/index.js';
import { BodyFiles } from '../../harness/runner/reporters/html.js';
import { emptyRun, HOSTILE, infrastructureRun, mixedRun } from '../support/run-results.js';
import { findChromium, watchPage } from '../support/browser.js';

describe('HTML reporter (as text)', () => {
  const html = toHtml(mixedRun());

  it('is one self-contained page: no external asset, no network', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<[^>]*\ssrc=/i);
    expect(html).toContain(`content="default-src &#39;none&#39;`);
    // Links only to anchors in the page and to the scenarios' http(s) requirements.
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1] ?? '');
    for (const href of hrefs) expect(href).toMatch(/^(#|https:\/\/hl7\.org\/)/);
    expect(html).toContain('javascript:alert(3)'); // shown as text, not linked
  });

  it('keeps hostile server text as text', () => {
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).toContain(
      '&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;',
    );
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toContain('\u0001');
    expect(html).not.toContain('s3cr3t-token');
    expect(html).toContain('The basic REST interactions &lt;b&gt;every&lt;/b&gt; server supports.');
  });

  it('shows the header, the summary chart and every scenario and step', () => {
    expect(html).toContain('<code>http://localhost:8080/fhir</code> (bundled reference server)');
    expect(html).toContain('openimis.fhir.r4#1.0.0');
    expect(html).toContain('<time datetime="2025-03-01T10:00:00.000Z">');
    expect(html).toContain('<desc id="chart-desc">6 passed, 1 failed, 1 warning, 2 skipped, 1 error</desc>');
    expect(html).toContain('5 scenarios: 1 passed, 1 failed, 1 warning, 1 skipped, 1 error.');
    for (const id of ['rest-baseline', 'validation', 'subscriptions', 'history', 'batch']) {
      expect(html).toContain(`id="scenario-${id}"`);
    }
    expect(html.match(/<li class="step /g)).toHaveLength(11);
    expect(html).toContain(
      '<blockquote>FHIR R4 http.html#read: the server returns the resource with status 200</blockquote>',
    );
  });

  it('folds exchanges with method, URL, status and duration, JSON pretty-printed', () => {
    expect(html).toContain(
      '<summary>POST http://localhost:8080/fhir/Patient → <span class="status-ok">201</span> · 12 ms</summary>',
    );
    expect(html).toContain(
      '<pre><code class="language-json">{\n  &quot;resourceType&quot;: &quot;Patient&quot;,',
    );
    expect(html).toContain('<span class="status-bad">no response</span>');
    expect(html).toContain('Transport failure: timed out after 30000 ms');
  });

  it('lays out the validation issues a message quotes', () => {
    expect(html).toContain('<caption>Validation issues</caption>');
    expect(html).toContain(
      '<td class="severity-error">error</td><td><code>Patient.identifier</code></td><td>at least 1 required</td><td><code>STRUCT_REQUIRED</code></td>',
    );
    expect(html).toContain('<td><code>Patient.birthDate</code></td><td>&quot;x&quot; is not a date</td>');
  });

  it('reports an infrastructure failure and an empty run', () => {
    const broken = toHtml(infrastructureRun());
    expect(broken).toContain(
      '<div class="alert" role="alert"><strong>Infrastructure error:</strong> cannot read',
    );
    expect(broken).toContain('<p>No scenario ran.</p>');
    expect(toHtml(emptyRun())).toContain('<p>0 scenarios.</p>');
  });
});

const chromium = findChromium();
if (!chromium)
  console.warn('reporters-html: no Chromium found (apt-get install chromium); the browser test is skipped');

describe.skipIf(!chromium)('HTML reporter in a headless browser', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    const { chromium: launcher } = await import('playwright-core');
    browser = await launcher.launch({ executablePath: chromium, args: ['--no-sandbox'] });
    dir = await mkdtemp(join(tmpdir(), 'report-html-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('renders the summary, opens a folded exchange on click, runs no injected script, logs no error', async () => {
    const file = join(dir, 'report.html');
    await writeFile(file, toHtml(mixedRun()), 'utf8');
    const page = await browser.newPage();
    const { problems, requests } = watchPage(page);
    await page.goto(pathToFileURL(file).href);

    // The summary and its chart.
    expect(await page.locator('#summary-title').isVisible()).toBe(true);
    expect(await page.locator('svg.chart rect').count()).toBe(5);
    expect(await page.locator('svg.chart').getAttribute('role')).toBe('img');
    expect(await page.locator('table.scenarios tbody tr').count()).toBe(5);

    // Our script ran (the CSP allows it by hash): the toolbar is shown.
    expect(await page.locator('#toolbar').isVisible()).toBe(true);

    // A folded exchange opens on click.
    const evil = page.locator('details.exchange', { hasText: 'Patient/evil' });
    expect(await evil.evaluate((element) => element.hasAttribute('open'))).toBe(false);
    await evil.locator('summary').click();
    expect(await evil.evaluate((element) => element.hasAttribute('open'))).toBe(true);
    expect(await evil.locator('pre').last().textContent()).toContain(HOSTILE);
    expect(await page.locator('img').count()).toBe(0);

    // Expand all, and only problems.
    await page.locator('#expand-all').click();
    const closed = await page.locator('details.exchange:not([open])').count();
    expect(closed).toBe(0);
    await page.locator('#problems-only').check();
    expect(await page.locator('li.step.outcome-pass').first().isVisible()).toBe(false);
    expect(await page.locator('li.step.outcome-fail').first().isVisible()).toBe(true);

    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  });
});

describe('HTML reporter: failures first, the rest folded, bodies beside it', () => {
  const html = toHtml(mixedRun());

  it('lists the failed and errored steps first, each linked to its place', () => {
    const problems = html.indexOf('id="problems-title"');
    expect(problems).toBeGreaterThan(0);
    expect(problems).toBeLessThan(html.indexOf('<section class="scenario'));
    const section = html.slice(problems, html.indexOf('</section>', problems));
    const links = [...section.matchAll(/href="#([^"]+)"/g)].map((match) => match[1] as string);
    expect(links.length).toBeGreaterThan(0);
    for (const anchor of links) expect(html).toContain(`id="${anchor}"`);
  });

  it('folds what a passed step checked, and never colours a failed step’s exchange green', () => {
    expect(html).toContain('<details class="step-details">');
    for (const step of html.split('<li class="step ').slice(1)) {
      const failed = step.startsWith('outcome-fail') || step.startsWith('outcome-error');
      if (failed) expect(step.slice(0, step.indexOf('</li>'))).not.toContain('status-ok');
    }
  });

  it('with BodyFiles: large bodies cut and linked, passed steps’ exchanges one line each, each file once', () => {
    const files = new BodyFiles(64);
    const cut = toHtml(mixedRun(), files);
    expect(cut.length).toBeLessThan(html.length);
    expect(cut).toMatch(
      /<p class="truncated">The first 1 KB of \d+ KB: <a href="bodies\/[0-9a-f]{16}\.(json|txt)">/,
    );
    expect(cut).toContain('<p class="exchange-line">');
    const linked = new Set([...cut.matchAll(/href="(bodies\/[^"]+)"/g)].map((match) => match[1]));
    expect([...files.files.keys()].sort()).toEqual([...linked].sort());
  });
});
