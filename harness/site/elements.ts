/**
 * A StructureDefinition's element table, as an IG author reads it: one row per element (slices and
 * extensions included, indented by depth), with flags, cardinality, types (and the profiles they point
 * to), binding, the invariants it carries and its short description. The differential view shows what
 * the profile says, with what it inherits greyed; the snapshot view shows every element.
 */
import { escapeXmlAttribute as attr, escapeXmlText as text } from '../xml.js';

type Element = fhir4.ElementDefinition;

/** Where a canonical URL is shown: a page of the site, or the URL itself. */
export type LinkTo = (canonical: string) => string | undefined;

function link(canonical: string, label: string, to: LinkTo): string {
  const href = to(canonical.split('|')[0] ?? canonical);
  return href
    ? `<a href="${attr(href)}">${text(label)}</a>`
    : `<span title="${attr(canonical)}">${text(label)}</span>`;
}

const tail = (url: string) => url.slice(url.lastIndexOf('/') + 1);

function typesCell(element: Element, to: LinkTo): string {
  return (element.type ?? [])
    .map((type) => {
      const profiles = [...(type.profile ?? []), ...(type.targetProfile ?? [])];
      const code = link(`http://hl7.org/fhir/StructureDefinition/${type.code}`, type.code, to);
      if (profiles.length === 0) return code;
      return `${code}(${profiles.map((p) => link(p, tail(p), to)).join(' | ')})`;
    })
    .join(', ');
}

function flagsCell(element: Element): string {
  const flags: string[] = [];
  if (element.mustSupport) flags.push('<span class="flag ms" title="must support">MS</span>');
  if (element.isModifier) flags.push('<span class="flag" title="modifier">?!</span>');
  if (element.isSummary) flags.push('<span class="flag" title="in the summary">Σ</span>');
  // Every element carries R4's own ele-1 (and extensions ext-1): only other invariants are flagged.
  if (element.constraint?.some((c) => c.key !== 'ele-1' && c.key !== 'ext-1'))
    flags.push('<span class="flag" title="has invariants">I</span>');
  return flags.join(' ');
}

function bindingCell(element: Element, to: LinkTo): string {
  const binding = element.binding;
  if (!binding?.valueSet) return '';
  return `${link(binding.valueSet, tail(binding.valueSet), to)} <span class="strength">(${text(binding.strength)})</span>`;
}

function slicingNote(element: Element): string {
  const slicing = element.slicing;
  if (!slicing) return '';
  const by = (slicing.discriminator ?? []).map((d) => `${d.type}:${d.path}`).join(', ');
  return `<div class="slicing">sliced by ${text(by || 'nothing')}, ${text(slicing.rules ?? '')}${slicing.ordered ? ', ordered' : ''}</div>`;
}

/** The name shown for an element: its last path step, or `:slice` for a slice. */
function nameOf(element: Element): { name: string; depth: number } {
  const id = element.id ?? element.path;
  const steps = id.split('.');
  const last = steps[steps.length - 1] ?? id;
  const slice = last.includes(':') ? last.slice(last.indexOf(':')) : undefined;
  return { name: slice ?? last, depth: steps.length - 1 };
}

/**
 * The table. `full` gives, for a differential row, the snapshot element it stands for: what the row does
 * not say itself is shown from it, greyed.
 */
export function elementTable(elements: readonly Element[], to: LinkTo, full?: Map<string, Element>): string {
  const rows = elements.map((element) => {
    const whole = full?.get(element.id ?? '') ?? element;
    const own = (value: string, inherited: string) =>
      value !== '' ? value : inherited !== '' ? `<span class="inherited">${inherited}</span>` : '';
    const { name, depth } = nameOf(element);
    const card =
      element.min !== undefined || element.max !== undefined
        ? `${element.min ?? whole.min ?? ''}..${element.max ?? whole.max ?? ''}`
        : '';
    const wholeCard = whole.min !== undefined ? `${whole.min}..${whole.max ?? ''}` : '';
    const constraints = (element.constraint ?? [])
      .map((c) => `<a href="#inv-${attr(c.key)}">${text(c.key)}</a>`)
      .join(' ');
    return (
      `<tr id="el-${attr(element.id ?? '')}"><td class="name" style="padding-left:${depth * 1.1 + 0.3}em">` +
      `<code>${text(name)}</code>${slicingNote(element)}</td>` +
      `<td>${own(flagsCell(element), flagsCell(whole))}</td>` +
      `<td>${own(text(card), text(wholeCard))}</td>` +
      `<td>${own(typesCell(element, to), typesCell(whole, to))}</td>` +
      `<td>${own(bindingCell(element, to), bindingCell(whole, to))}</td>` +
      `<td>${constraints}</td>` +
      `<td>${own(text(element.short ?? ''), text(whole.short ?? ''))}</td></tr>`
    );
  });
  return (
    '<table class="elements"><thead><tr><th>Element</th><th>Flags</th><th>Card.</th><th>Type</th>' +
    `<th>Binding</th><th>Invariants</th><th>Description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

/** The invariants a definition declares itself (those its own differential carries). */
export function invariantTable(definition: fhir4.StructureDefinition): string {
  const seen = new Set<string>();
  const rows: string[] = [];
  for (const element of definition.differential?.element ?? [])
    for (const constraint of element.constraint ?? []) {
      if (seen.has(constraint.key)) continue;
      seen.add(constraint.key);
      rows.push(
        `<tr id="inv-${attr(constraint.key)}"><td><code>${text(constraint.key)}</code></td>` +
          `<td>${text(constraint.severity)}</td><td><code>${text(element.id ?? element.path)}</code></td>` +
          `<td>${text(constraint.human)}</td><td><code>${text(constraint.expression ?? '')}</code></td></tr>`,
      );
    }
  if (rows.length === 0) return '<p>No invariants of its own.</p>';
  return (
    '<table class="invariants"><thead><tr><th>Key</th><th>Severity</th><th>On</th><th>Rule</th>' +
    `<th>Expression</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}
