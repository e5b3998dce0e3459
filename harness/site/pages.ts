/**
 * The pages of the IG preview: one per profile and extension, CodeSystem, ValueSet and example, and the
 * index with its search. Every text from the IG goes into the HTML escaped (xml.ts); the pages load
 * nothing but the site's own stylesheet and script.
 */
import type { ValidationIssue } from '../validator/index.js';
import { escapeXmlAttribute as attr, escapeXmlText as text } from '../xml.js';
import { elementTable, invariantTable, type LinkTo } from './elements.js';

/** One entry of the index (and of its search). */
export interface IndexEntry {
  kind: 'Profile' | 'Extension' | 'CodeSystem' | 'ValueSet' | 'Example';
  title: string;
  id: string;
  href: string;
  description: string;
}

export function page(title: string, igTitle: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text(title)} - ${text(igTitle)}</title><link rel="stylesheet" href="site.css"></head>
<body><header><a href="index.html">${text(igTitle)}</a></header><main>
${body}
</main></body></html>
`;
}

const describe = (description: string | undefined) =>
  description ? `<p class="description">${text(description)}</p>` : '';

export function definitionPage(
  definition: fhir4.StructureDefinition,
  examples: { title: string; href: string }[],
  to: LinkTo,
): string {
  const snapshot = definition.snapshot?.element ?? [];
  const byId = new Map(snapshot.map((element) => [element.id ?? element.path, element]));
  const kind = definition.type === 'Extension' ? 'Extension' : 'Profile';
  const base = definition.baseDefinition
    ? `<dt>Based on</dt><dd>${elementLink(definition.baseDefinition, to)}</dd>`
    : '';
  const used = examples.length
    ? `<ul>${examples.map((e) => `<li><a href="${attr(e.href)}">${text(e.title)}</a></li>`).join('')}</ul>`
    : '<p>No example.</p>';
  return `<h1><span class="kind">${kind}</span> ${text(definition.title ?? definition.name)}</h1>
${describe(definition.description)}
<dl><dt>URL</dt><dd><code>${text(definition.url)}</code></dd>${base}<dt>Type</dt><dd>${text(definition.type)}</dd></dl>
<nav class="views"><a href="#differential">Differential</a> <a href="#snapshot">Snapshot</a> <a href="#invariants">Invariants</a> <a href="#examples">Examples</a></nav>
<section id="differential"><h2>Differential: what this ${kind.toLowerCase()} says</h2>
${elementTable(definition.differential?.element ?? [], to, byId)}</section>
<section id="snapshot"><h2>Snapshot: every element</h2>
<details><summary>${snapshot.length} elements</summary>${elementTable(snapshot, to)}</details></section>
<section id="invariants"><h2>Invariants</h2>${invariantTable(definition)}</section>
<section id="examples"><h2>Examples</h2>${used}</section>`;
}

function elementLink(canonical: string, to: LinkTo): string {
  const href = to(canonical);
  const label = canonical.slice(canonical.lastIndexOf('/') + 1);
  return href ? `<a href="${attr(href)}">${text(label)}</a>` : `<code>${text(canonical)}</code>`;
}

type Concept = { code: string; display?: string; definition?: string; concept?: Concept[] };

function conceptRows(concepts: readonly Concept[], depth = 0): string {
  return concepts
    .map(
      (c) =>
        `<tr id="code-${attr(c.code)}"><td style="padding-left:${depth * 1.1 + 0.3}em"><code>${text(c.code)}</code></td>` +
        `<td>${text(c.display ?? '')}</td><td>${text(c.definition ?? '')}</td></tr>${conceptRows(c.concept ?? [], depth + 1)}`,
    )
    .join('');
}

function conceptTable(concepts: readonly Concept[]): string {
  if (concepts.length === 0) return '<p>No concepts listed.</p>';
  return `<table class="concepts"><thead><tr><th>Code</th><th>Display</th><th>Definition</th></tr></thead><tbody>${conceptRows(concepts)}</tbody></table>`;
}

export function codeSystemPage(codeSystem: fhir4.CodeSystem): string {
  return `<h1><span class="kind">CodeSystem</span> ${text(codeSystem.title ?? codeSystem.name ?? codeSystem.id ?? '')}</h1>
${describe(codeSystem.description)}
<dl><dt>URL</dt><dd><code>${text(codeSystem.url ?? '')}</code></dd><dt>Content</dt><dd>${text(codeSystem.content)}</dd></dl>
<h2>Concepts</h2>${conceptTable((codeSystem.concept ?? []) as Concept[])}`;
}

export function valueSetPage(valueSet: fhir4.ValueSet, to: LinkTo): string {
  const parts = (label: string, sets: fhir4.ValueSetComposeInclude[] | undefined) =>
    (sets ?? [])
      .map((include) => {
        const system = include.system ? elementLink(include.system, to) : '';
        const from = (include.valueSet ?? []).map((vs) => elementLink(vs, to)).join(', ');
        const filters = (include.filter ?? [])
          .map((f) => `<li><code>${text(`${f.property} ${f.op} ${f.value}`)}</code></li>`)
          .join('');
        const codes = include.concept?.length
          ? conceptTable(
              include.concept.map((c) => ({ code: c.code, ...(c.display ? { display: c.display } : {}) })),
            )
          : `<p>${include.filter?.length ? 'The codes of the filters below.' : 'Every code of the system.'}</p>`;
        return `<div class="include"><h3>${label} ${system}${from ? ` from ${from}` : ''}</h3>${codes}${filters ? `<ul>${filters}</ul>` : ''}</div>`;
      })
      .join('');
  return `<h1><span class="kind">ValueSet</span> ${text(valueSet.title ?? valueSet.name ?? valueSet.id ?? '')}</h1>
${describe(valueSet.description)}
<dl><dt>URL</dt><dd><code>${text(valueSet.url ?? '')}</code></dd></dl>
<h2>Content</h2>${parts('Include', valueSet.compose?.include) || '<p>No compose.</p>'}${parts('Exclude', valueSet.compose?.exclude)}`;
}

export function examplePage(
  resource: { resourceType: string; id?: string },
  title: string,
  profile: string | undefined,
  issues: readonly ValidationIssue[],
  to: LinkTo,
): string {
  const verdict =
    issues.length === 0
      ? '<p class="valid">Valid: no issue.</p>'
      : `<table class="issues"><thead><tr><th>Severity</th><th>Where</th><th>Issue</th><th>Id</th></tr></thead><tbody>${issues
          .map(
            (i) =>
              `<tr class="${attr(i.severity)}"><td>${text(i.severity)}</td><td><code>${text(i.expression)}</code></td>` +
              `<td>${text(i.text)}</td><td><code>${text(i.id)}</code></td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<h1><span class="kind">Example</span> ${text(title)}</h1>
<dl><dt>Resource</dt><dd><code>${text(`${resource.resourceType}/${resource.id ?? ''}`)}</code></dd>
${profile ? `<dt>Profile</dt><dd>${elementLink(profile, to)}</dd>` : ''}</dl>
<h2>Validation</h2>${verdict}
<h2>JSON</h2><pre class="json"><code>${text(JSON.stringify(resource, null, 2))}</code></pre>`;
}

const KIND_ORDER: IndexEntry['kind'][] = ['Profile', 'Extension', 'CodeSystem', 'ValueSet', 'Example'];

export function indexPage(entries: readonly IndexEntry[], ig: fhir4.ImplementationGuide | undefined): string {
  const sections = KIND_ORDER.map((kind) => {
    const mine = entries.filter((e) => e.kind === kind);
    if (mine.length === 0) return '';
    const items = mine
      .map(
        (e) =>
          `<li data-search="${attr(`${e.kind} ${e.title} ${e.id} ${e.description}`.toLowerCase())}">` +
          `<a href="${attr(e.href)}">${text(e.title)}</a> <code>${text(e.id)}</code></li>`,
      )
      .join('');
    return `<section class="kind-list"><h2>${kind === 'Example' ? 'Examples' : `${kind}s`} (<span class="count">${mine.length}</span>)</h2><ul>${items}</ul></section>`;
  }).join('');
  const version = ig ? `${ig.packageId ?? ig.id ?? ''}#${ig.version ?? ''}` : '';
  return `<h1>${text(ig?.title ?? ig?.name ?? 'Implementation Guide')}</h1>
<p class="description">${text(version)}: a preview built from fsh-generated/ by openimis-fhir site.</p>
<label for="search">Search</label> <input id="search" type="search" placeholder="name, id or words of the description" autofocus>
<p id="search-count" aria-live="polite"></p>
${sections}
<script src="search.js"></script>`;
}

export const STYLESHEET = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24}
header{background:#23395d;padding:.6em 1.2em}header a{color:#fff;font-weight:600;text-decoration:none}
main{padding:1em 1.5em;max-width:1400px}h1 .kind{font-size:.55em;background:#e6ecf5;padding:.15em .5em;border-radius:4px;vertical-align:middle}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}th,td{border:1px solid #d4d9e0;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f2f4f7}.inherited{color:#8a94a3}.flag{font-size:.8em;border:1px solid #23395d;border-radius:3px;padding:0 .25em}
.flag.ms{background:#23395d;color:#fff}.slicing{font-size:.8em;color:#5b6573}.strength{color:#5b6573;font-size:.85em}
pre.json{background:#f6f8fa;padding:1em;overflow:auto}.issues tr.error td:first-child,.issues tr.fatal td:first-child{color:#b42318;font-weight:600}
.issues tr.warning td:first-child{color:#9a6700}.valid{color:#1a7f37;font-weight:600}nav.views a{margin-right:1em}
input[type=search]{font:inherit;padding:.3em .5em;width:min(40em,90%)}li[hidden],section[hidden]{display:none}dt{font-weight:600}
`;

/** The index's search: entries whose text holds every word typed stay, the others hide. */
export const SEARCH_SCRIPT = `'use strict';
(function () {
  var input = document.getElementById('search');
  var count = document.getElementById('search-count');
  var items = Array.prototype.slice.call(document.querySelectorAll('li[data-search]'));
  var sections = Array.prototype.slice.call(document.querySelectorAll('section.kind-list'));
  function filter() {
    var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var text = item.getAttribute('data-search');
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      item.hidden = !match;
      if (match) shown++;
    });
    sections.forEach(function (section) {
      var left = section.querySelectorAll('li[data-search]:not([hidden])').length;
      section.querySelector('.count').textContent = String(left);
      section.hidden = left === 0;
    });
    count.textContent = words.length ? shown + ' of ' + items.length + ' match' : '';
  }
  input.addEventListener('input', filter);
  filter();
})();
`;
