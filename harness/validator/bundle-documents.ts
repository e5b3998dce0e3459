/**
 * Documents and messages (documents.html, messaging.html, as BundleValidator checks them): the
 * references of a document's Composition (subject, author, encounter, custodian, attester.party,
 * event.detail, and each section's author, focus and entries) and of a message's MessageHeader.focus
 * must resolve inside the Bundle by its rules; and every entry must be reachable from the first one by
 * following references forwards, or backwards where the resource is meant to point at what it is about
 * (a Provenance). A reference already found wanting is said once.
 */
import { isJsonObject, objectsOf, stringOf, type JsonObject } from '../json.js';
import { resolveByRules, type Finding } from './bundle-resolution.js';
import {
  childCursor,
  entryResourceCursor,
  itemCursor,
  type Cursor,
  type WalkContext,
} from './walk-context.js';

interface EntryNode {
  index: number;
  entry: JsonObject;
  resource: JsonObject;
  targets: Set<EntryNode>;
}

/** Resources that point at what they are about, and so are reached backwards. */
const REVERSE_BY_DESIGN = new Set(['Provenance']);

export function checkDocumentOrMessage(walk: WalkContext, bundle: JsonObject, cursor: Cursor): void {
  const type = stringOf(bundle.type);
  if (type !== 'document' && type !== 'message') return;
  const entries = objectsOf(bundle.entry);
  const first = entries[0];
  if (!first || !isJsonObject(first.resource)) return;
  const firstResource = first.resource;
  const reported = new Set<JsonObject>();
  const report = (at: Cursor, source: JsonObject, findings: Finding[]) => {
    if (findings.length === 0 || reported.has(source)) return;
    reported.add(source);
    for (const finding of findings)
      walk.report(finding.id, at, finding.args, finding.severity ? { severity: finding.severity } : {});
  };
  const from = {
    fullUrl: stringOf(first.fullUrl),
    type: stringOf(firstResource.resourceType) ?? '',
    id: stringOf(firstResource.id),
  };
  const firstCursor = entryResourceCursor(cursor, 0, firstResource);
  const check = (holder: JsonObject, holderCursor: Cursor, property: string, name: string) => {
    const value = holder[property];
    const references = Array.isArray(value) ? value : [value];
    references.forEach((reference, index) => {
      if (!isJsonObject(reference)) return;
      const text = stringOf(reference.reference);
      if (!text || text.startsWith('#')) return;
      const at = Array.isArray(value)
        ? itemCursor(holderCursor, property, index)
        : childCursor(holderCursor, property, `${holderCursor.expression}.${property}`);
      report(at, reference, resolveByRules(bundle, text, from, name, true).findings);
    });
  };

  if (type === 'document' && firstResource.resourceType === 'Composition') {
    for (const property of ['subject', 'author', 'encounter', 'custodian'])
      check(firstResource, firstCursor, property, `Composition.${property}`);
    objectsOf(firstResource.attester).forEach((attester, i) =>
      check(attester, itemCursor(firstCursor, 'attester', i), 'party', 'Composition.attester.party'),
    );
    objectsOf(firstResource.event).forEach((event, i) =>
      check(event, itemCursor(firstCursor, 'event', i), 'detail', 'Composition.event.detail'),
    );
    const sections = (holder: JsonObject, holderCursor: Cursor) =>
      objectsOf(holder.section).forEach((section, i) => {
        const sectionCursor = itemCursor(holderCursor, 'section', i);
        check(section, sectionCursor, 'author', 'Section.author');
        check(section, sectionCursor, 'focus', 'Section.focus');
        check(section, sectionCursor, 'entry', 'Section Entry');
        sections(section, sectionCursor);
      });
    sections(firstResource, firstCursor);
  }
  if (type === 'message' && firstResource.resourceType === 'MessageHeader')
    check(firstResource, firstCursor, 'focus', 'MessageHeader Data');

  checkInterlinked(walk, bundle, cursor, type === 'message', report);
}

function checkInterlinked(
  walk: WalkContext,
  bundle: JsonObject,
  cursor: Cursor,
  isMessage: boolean,
  report: (at: Cursor, source: JsonObject, findings: Finding[]) => void,
): void {
  const nodes: EntryNode[] = [];
  objectsOf(bundle.entry).forEach((entry, index) => {
    if (isJsonObject(entry.resource))
      nodes.push({ index, entry, resource: entry.resource, targets: new Set() });
  });
  const byEntry = new Map(nodes.map((node) => [node.entry, node]));
  for (const node of nodes) {
    const from = {
      fullUrl: stringOf(node.entry.fullUrl),
      type: stringOf(node.resource.resourceType) ?? '',
      id: stringOf(node.resource.id),
    };
    const base = entryResourceCursor(cursor, node.index, node.resource);
    for (const { reference, source, at } of referencesIn(node.resource, base)) {
      const resolution = resolveByRules(bundle, reference, from, at.expression, false);
      report(at, source, resolution.findings);
      const target = resolution.entry ? byEntry.get(resolution.entry) : undefined;
      if (target && target !== node) node.targets.add(target);
    }
  }
  const visited = new Set<EntryNode>();
  const visit = (node: EntryNode) => {
    if (visited.has(node)) return;
    visited.add(node);
    for (const target of node.targets) visit(target);
  };
  if (nodes[0]) visit(nodes[0]);
  const firstName = stringOf(nodes[0]?.resource.resourceType) ?? 'first entry';
  const label = (node: EntryNode) =>
    `'${stringOf(node.entry.fullUrl) ?? `${String(node.resource.resourceType)}`}'`;
  let grew = true;
  while (grew) {
    grew = false;
    for (const node of nodes) {
      if (visited.has(node) || ![...node.targets].some((target) => visited.has(target))) continue;
      if (!REVERSE_BY_DESIGN.has(stringOf(node.resource.resourceType) ?? ''))
        walk.report(
          'BUNDLE_ENTRY_REVERSE',
          itemCursor(cursor, 'entry', node.index),
          {
            entry: label(node),
            first: firstName,
            detail: isMessage
              ? '. Check that this is meant to be included (needed to process the message)'
              : '. Only Provenance is approved to be used this way (R4 section 3.3.1)',
          },
          isMessage ? { severity: 'information' } : {},
        );
      visit(node);
      grew = true;
    }
  }
  for (const node of nodes) {
    if (visited.has(node)) continue;
    walk.report(
      'BUNDLE_ENTRY_ORPHAN',
      itemCursor(cursor, 'entry', node.index),
      { entry: label(node), first: firstName },
      isMessage ? { severity: 'warning' } : {},
    );
  }
}

/** Every `reference` of a Reference below a resource (not into a Bundle inside it), once each. */
function referencesIn(
  resource: JsonObject,
  base: Cursor,
): { reference: string; source: JsonObject; at: Cursor }[] {
  const found: { reference: string; source: JsonObject; at: Cursor }[] = [];
  const seen = new Set<string>();
  const visitNode = (node: unknown, at: Cursor) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visitNode(item, childCursor(at, i, `${at.expression}[${i}]`)));
      return;
    }
    if (!isJsonObject(node) || node.resourceType === 'Bundle') return;
    const reference = stringOf(node.reference);
    if (reference && !reference.startsWith('#') && !seen.has(reference)) {
      seen.add(reference);
      found.push({ reference, source: node, at });
    }
    for (const [key, value] of Object.entries(node))
      if (typeof value === 'object' && value !== null)
        visitNode(value, childCursor(at, key, `${at.expression}.${key}`));
  };
  for (const [key, value] of Object.entries(resource))
    if (typeof value === 'object' && value !== null)
      visitNode(value, childCursor(base, key, `${base.expression}.${key}`));
  return found;
}
