/**
 * Narrative.div, checked as the HL7 validator checks xhtml (its XhtmlValidator, and the hyperlink and
 * image checks of InstanceValidator):
 * - entities: only the XML ones; some content (txt-2);
 * - the XHTML namespace on the div, and no other namespace inside;
 * - only the basic HTML elements and attributes the Narrative allows (txt-1), no block inside a
 *   paragraph, and the HTML content rules (lists hold items, tables rows, rows cells, and so on);
 * - valid URLs in links and images; no active (`javascript:`) or non-linkable (`urn:`, `cid:`) link;
 * - internal links (`#x`) land on one target: an element id, an XHTML id or anchor name in the
 *   resource, or failing that anywhere in the Bundle around it; internal image sources on one id.
 * Every issue is reported at the div, as the HL7 validator reports it; messages name the XHTML path.
 */
import { isJsonObject, type JsonObject } from '../json.js';
import { checkPrimitive } from './primitives.js';
import type { Cursor, ResourceScope, WalkContext } from './walk-context.js';
import { scanXhtml, type XhtmlHandler } from './xhtml.js';

const XHTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';

const ELEMENTS = new Set(
  (
    'p br div h1 h2 h3 h4 h5 h6 a span b em i strong small big tt dfn q var abbr acronym cite blockquote ' +
    'hr address bdo kbd sub sup ul ol li dl dt dd pre table caption colgroup col thead tr tfoot tbody th ' +
    'td code samp img map area'
  ).split(' '),
);
const ATTRIBUTES = new Set(
  (
    'title style class id lang xml:lang dir accesskey tabindex span width align valign char charoff abbr ' +
    'axis headers scope rowspan colspan'
  ).split(' '),
);
/** Attributes allowed on one element only, as `element.attribute`. */
const ELEMENT_ATTRIBUTES = new Set(
  (
    'a.href a.name img.src img.border div.xmlns blockquote.cite q.cite a.charset a.type a.hreflang a.rel ' +
    'a.rev a.shape a.coords img.alt img.longdesc img.height img.width img.usemap img.ismap map.name ' +
    'area.shape area.coords area.href area.nohref area.alt table.summary table.width table.border ' +
    'table.frame table.rules table.cellspacing table.cellpadding pre.space td.nowrap'
  ).split(' '),
);
/** Elements that may not appear inside a paragraph. */
const BLOCKS_NOT_IN_PARAGRAPH = new Set(['div', 'blockquote', 'table', 'ol', 'ul', 'p']);
/** Block structures a text element (paragraph, heading, inline) may not hold at any depth. */
const BLOCKS_NOT_IN_TEXT = new Set(['div', 'pre', 'table', 'ul', 'ol']);
const TEXT_ELEMENTS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'address', 'span']);
/** Inline elements that also may not nest in themselves. */
const INLINE_ELEMENTS = new Set(
  'a b em i strong small big sub sup code tt dfn q var abbr acronym cite bdo kbd samp'.split(' '),
);
/** Per element: the parents it may have, and the only children it may have. */
const CONTENT_RULES: Readonly<Record<string, { parents?: string[]; children?: string[]; text?: boolean }>> = {
  br: { children: [] },
  img: { children: [] },
  hr: { children: [] },
  area: { children: [] },
  table: { children: ['tbody', 'tr', 'caption', 'thead', 'tfoot', 'col', 'colgroup'] },
  tr: { parents: ['table', 'thead', 'tfoot', 'tbody'], children: ['td', 'th'] },
  tbody: { parents: ['table'], children: ['tr'] },
  thead: { parents: ['table'], children: ['tr'] },
  tfoot: { parents: ['table'], children: ['tr'] },
  ul: { children: ['li'] },
  ol: { children: ['li'] },
  caption: { parents: ['table'], text: true },
  colgroup: { parents: ['table'] },
  col: { parents: ['colgroup', 'table'] },
  th: { parents: ['tr', 'thead', 'tfoot'] },
  td: { parents: ['tr', 'thead', 'tfoot'] },
  li: { parents: ['ul', 'ol'] },
  dl: { children: ['dd', 'dt'] },
  dd: { parents: ['dl'], text: true },
  dt: { parents: ['dl'], text: true },
  map: { children: ['area'] },
};

/** Reports on one Narrative.div; the XHTML's own well-formedness is the primitive check's. */
export function checkNarrative(walk: WalkContext, div: string, cursor: Cursor, scope: ResourceScope): void {
  for (const match of div.matchAll(/&([A-Za-z][A-Za-z0-9]*);/g)) {
    if (!['lt', 'gt', 'amp', 'quot', 'apos'].includes(match[1] ?? '')) {
      walk.report('TYPE_XHTML_ENTITY', cursor, { entity: match[0] });
      return;
    }
  }
  // Held back until the whole div has been read: badly formed XHTML is the primitive check's one error.
  const pending: Parameters<Report>[] = [];
  const reader = new NarrativeReader((id, args) => pending.push([id, args]), scope);
  if (scanXhtml(div, reader) !== undefined) return;
  reader.finish();
  for (const [id, args] of pending) walk.report(id, cursor, args);
}

type Report = (id: Parameters<WalkContext['report']>[0], args: Record<string, string | number>) => void;

/** What a found list keeps, so a pathological narrative cannot make a message of megabytes. */
const MAX_LISTED = 10;
/** How much of a link's text its messages quote. */
const MAX_LINK_TEXT = 200;

/** One open element. */
interface Frame {
  name: string;
  /** From the root: `div/p/a`. */
  path: string;
  attributes: ReadonlyMap<string, string>;
  inParagraph: boolean;
  /** The nearest open ancestor that holds text only (a paragraph, heading or inline element). */
  textHolder: Frame | undefined;
  /** Block structures found below a text-only element (paths from the root), and nested inline elements. */
  blocks?: string[];
  nested?: string[];
  hasChildren?: boolean;
  wrongChildren?: string[];
  /** A link's text, as far as it has come. */
  text?: string;
}

function isTextHolder(name: string): boolean {
  return TEXT_ELEMENTS.has(name) || INLINE_ELEMENTS.has(name) || CONTENT_RULES[name]?.text === true;
}

function listPaths(owner: Frame, paths: string[]): string {
  return paths.map((path) => owner.name + path.slice(owner.path.length)).join(',');
}

function note(list: string[] | undefined, path: string): string[] {
  const kept = list ?? [];
  if (kept.length < MAX_LISTED) kept.push(path);
  return kept;
}

/**
 * The checks of XhtmlValidator and of the link and image checks, made while the XHTML is read: each
 * element is judged when it opens (names, attributes, place, URL) or closes (what it held). Issues come
 * in document order of those events; all are at the div.
 */
class NarrativeReader implements XhtmlHandler {
  private readonly stack: Frame[] = [];
  /** Open frames by element name, for nested inline elements. */
  private readonly openByName = new Map<string, Frame[]>();
  private readonly ids = new Set<string>();
  private readonly duplicateIds = new Map<string, number>();
  private readonly languages = new Set<string>();
  private contentOutsideLanguages = false;
  private hasText = false;
  private hasImage = false;

  constructor(
    private readonly report: Report,
    private readonly scope: ResourceScope,
  ) {}

  start(name: string, attributes: ReadonlyMap<string, string>): void {
    const parent = this.stack[this.stack.length - 1];
    if (!parent) {
      const found = attributes.get('xmlns');
      if (found !== XHTML_NAMESPACE)
        this.report('TYPE_XHTML_NAMESPACE', { found: found ?? '(none)', expected: XHTML_NAMESPACE });
      this.push({ name, path: name, attributes, inParagraph: false, textHolder: undefined });
      return;
    }
    const path = `${parent.path}/${name}`;
    if (this.stack.length === 1) {
      const language = name === 'div' ? attributes.get('xml:lang') : undefined;
      if (language !== undefined) this.languages.add(language);
      else this.contentOutsideLanguages = true;
    }
    const inParagraph = parent.inParagraph || parent.name === 'p';
    this.checkNames(name, attributes, inParagraph);
    this.checkPlace(name, path, parent);
    this.noteIds(name, attributes);
    if (name === 'img') {
      this.hasImage = true;
      const src = attributes.get('src');
      if (src?.startsWith('#')) this.checkImage(src, path);
    }
    this.push({
      name,
      path,
      attributes,
      inParagraph,
      textHolder: isTextHolder(parent.name) ? parent : parent.textHolder,
      text: name === 'a' ? '' : undefined,
    });
  }

  text(text: string): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) return;
    const visible = text.trim() !== '';
    if (visible) {
      this.hasText = true;
      if (this.stack.length === 1) this.contentOutsideLanguages = true;
    }
    const allowed = CONTENT_RULES[top.name]?.children;
    if (allowed?.length === 0) top.hasChildren = true;
    else if (allowed && visible) top.wrongChildren = note(top.wrongChildren, '@text');
    for (const link of this.openByName.get('a') ?? [])
      if (link.text !== undefined && link.text.length < MAX_LINK_TEXT) link.text += text;
  }

  end(): void {
    const frame = this.stack.pop();
    if (!frame) return;
    this.openByName.get(frame.name)?.pop();
    if (frame.hasChildren) this.report('TYPE_XHTML_NO_CHILDREN', { name: frame.name, path: frame.path });
    if (frame.wrongChildren)
      this.report('TYPE_XHTML_CHILDREN_ILLEGAL', {
        name: frame.name,
        path: frame.path,
        found: frame.wrongChildren.join(','),
      });
    if (frame.blocks) {
      this.report('TYPE_XHTML_BLOCK_IN_TEXT', {
        name: frame.name,
        path: frame.path,
        found: listPaths(frame, frame.blocks),
      });
      // What lies below this element lies below every text holder around it too.
      const outer = frame.textHolder;
      if (outer) for (const path of frame.blocks) outer.blocks = note(outer.blocks, path);
    }
    if (frame.nested) {
      this.report('TYPE_XHTML_NESTED', {
        name: frame.name,
        path: frame.path,
        found: listPaths(frame, frame.nested),
      });
      const outer = this.innermostOpen(frame.name);
      if (outer) for (const path of frame.nested) outer.nested = note(outer.nested, path);
    }
    if (frame.name === 'a') this.checkLink(frame);
  }

  /** What can only be judged once the whole div is read. */
  finish(): void {
    if (!this.hasText && !this.hasImage) this.report('TYPE_NARRATIVE_EMPTY', {});
    if (this.languages.size > 0 && this.contentOutsideLanguages)
      this.report('TYPE_XHTML_MIXED_LANGUAGES', { languages: [...this.languages].join(', ') });
    if (this.duplicateIds.size > 0)
      this.report('TYPE_XHTML_DUPLICATE_IDS', {
        ids: [...this.duplicateIds]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([id, count]) => `${id} (${count}x)`)
          .join(', '),
      });
  }

  private push(frame: Frame): void {
    this.stack.push(frame);
    const open = this.openByName.get(frame.name);
    if (open) open.push(frame);
    else this.openByName.set(frame.name, [frame]);
  }

  private innermostOpen(name: string): Frame | undefined {
    const open = this.openByName.get(name);
    return open?.[open.length - 1];
  }

  /** Names, attributes, namespaces, blocks in paragraphs, URLs (XhtmlValidator.checkInnerNames, checkUrls). */
  private checkNames(name: string, attributes: ReadonlyMap<string, string>, inParagraph: boolean): void {
    const namespace = attributes.get('xmlns');
    if (namespace !== undefined && namespace !== XHTML_NAMESPACE)
      this.report('TYPE_XHTML_NAMESPACE', { found: namespace, expected: XHTML_NAMESPACE });
    if (!ELEMENTS.has(name)) this.report('TYPE_XHTML_ELEMENT_ILLEGAL', { name });
    for (const attribute of attributes.keys()) {
      if (
        attribute.startsWith('xmlns') ||
        ATTRIBUTES.has(attribute) ||
        ELEMENT_ATTRIBUTES.has(`${name}.${attribute}`)
      )
        continue;
      if (attribute === 'xml:space') this.report('TYPE_XHTML_XML_SPACE', { element: name });
      else this.report('TYPE_XHTML_ATTRIBUTE_ILLEGAL', { attribute, element: name });
    }
    if (inParagraph && BLOCKS_NOT_IN_PARAGRAPH.has(name))
      this.report('TYPE_XHTML_BLOCK_IN_PARAGRAPH', { name });
    const url = name === 'a' ? attributes.get('href') : name === 'img' ? attributes.get('src') : undefined;
    if (url !== undefined) {
      const problem = urlProblem(url);
      if (problem) this.report('TYPE_XHTML_URL_INVALID', { url, detail: problem });
    }
  }

  /** The HTML content rules (XhtmlValidator.checkXhtmlStructure), as far as the new element decides them. */
  private checkPlace(name: string, path: string, parent: Frame): void {
    const parents = CONTENT_RULES[name]?.parents;
    if (parents && !parents.includes(parent.name))
      this.report('TYPE_XHTML_OUT_OF_PLACE', { name, allowed: parents.join('|'), parent: parent.name, path });
    const allowed = CONTENT_RULES[parent.name]?.children;
    if (allowed?.length === 0) parent.hasChildren = true;
    else if (allowed && !allowed.includes(name)) parent.wrongChildren = note(parent.wrongChildren, name);
    if (BLOCKS_NOT_IN_TEXT.has(name)) {
      const holder = isTextHolder(parent.name) ? parent : parent.textHolder;
      if (holder) holder.blocks = note(holder.blocks, path);
    }
    if (INLINE_ELEMENTS.has(name)) {
      const outer = this.innermostOpen(name);
      if (outer) outer.nested = note(outer.nested, path);
    }
  }

  private noteIds(name: string, attributes: ReadonlyMap<string, string>): void {
    const seen = (id: string) => {
      if (this.ids.has(id)) this.duplicateIds.set(id, (this.duplicateIds.get(id) ?? 1) + 1);
      this.ids.add(id);
    };
    const id = attributes.get('id');
    if (id !== undefined) seen(id);
    const anchor = name === 'a' ? attributes.get('name') : undefined;
    if (anchor !== undefined && anchor !== id) seen(anchor);
  }

  /** A link: not empty, internal ones land on one target, external ones use a scheme a reader can follow. */
  private checkLink(frame: Frame): void {
    const href = frame.attributes.get('href');
    if (href === undefined) return;
    const text = (frame.text ?? '').replace(/[\r\n]+/g, ' ').trim();
    const path = frame.path;
    if (href.trim() === '') this.report('TYPE_XHTML_LINK_EMPTY', { path, text });
    else if (href.startsWith('#') && href !== '#') {
      const targets = linkTargets(this.scope, href.slice(1));
      if (targets === 0) this.report('TYPE_XHTML_LINK_UNRESOLVED', { href, path, text });
      else if (targets > 1) this.report('TYPE_XHTML_LINK_AMBIGUOUS', { href, path, text, targets });
    } else {
      const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(href)?.[1]?.toLowerCase();
      if (scheme === undefined) return;
      const args = { href, path, text, scheme };
      if (ACTIVE_SCHEMES.has(scheme)) this.report('TYPE_XHTML_LINK_ACTIVE', args);
      else if (NOT_LINKABLE_SCHEMES.has(scheme)) this.report('TYPE_XHTML_LINK_NOT_LINKABLE', args);
      else if (!COMMON_SCHEMES.has(scheme)) this.report('TYPE_XHTML_LINK_UNCOMMON_SCHEME', args);
    }
  }

  /** An internal image source names one id in the resource (an element's or an XHTML node's). */
  private checkImage(src: string, path: string): void {
    const count = targetsIn(this.scope.resource).images.get(src.slice(1)) ?? 0;
    if (count === 0) this.report('TYPE_XHTML_IMAGE_UNRESOLVED', { src, path });
    else if (count > 1) this.report('TYPE_XHTML_IMAGE_AMBIGUOUS', { src, path, count });
  }
}

/** Why a link or image URL is not valid (UrlUtil.checkValidUrl), or undefined. */
function urlProblem(url: string): string | undefined {
  if (url === '') return 'URL is empty';
  if (url.startsWith('data:')) {
    const parts = url.slice(5).split(',');
    if (parts.length < 2) return 'No data found in data: URL';
    if (parts.length > 2) return `Comma found in data portion of data URL: ${url}`;
    const [header = '', data = ''] = parts;
    if (header.endsWith(';base64') && checkPrimitive('base64Binary', data).length > 0)
      return `The data should be valid base64 content for a data: URL: ${url}`;
    const mimeType = (header.endsWith(';base64') ? header.slice(0, -';base64'.length) : header).trim();
    if (mimeType !== '' && !/^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=("[^"]*"|[\w.+-]+))*$/.test(mimeType))
      return `The mimetype portion of the data: URL is not valid (${mimeType}) in URL: ${url}`;
    return undefined;
  }
  const invalid = new Set<string>();
  let count = 0;
  for (const ch of url) {
    if (/[\p{L}\p{N}]/u.test(ch) || ";?:@&=+$.,/%-_~#[]!'()*|".includes(ch)) continue;
    count++;
    invalid.add(`'${ch}'`);
  }
  if (count === 0) return undefined;
  const list = [...invalid].sort().join(',');
  return count === 1
    ? `URL contains Invalid Character: ${list}`
    : `URL contains ${count} Invalid Characters: ${list}`;
}

// ------------------------------------------------------------------ link targets

const ACTIVE_SCHEMES = new Set(['javascript', 'vbscript']);
const NOT_LINKABLE_SCHEMES = new Set(['urn', 'cid']);
const COMMON_SCHEMES = new Set(['http', 'https', 'tel', 'mailto', 'data']);

/** What an internal link can land on: in the resource, or failing that in the Bundles around it. */
function linkTargets(scope: ResourceScope, fragment: string): number {
  const here = targetsIn(scope.resource).links.get(fragment) ?? 0;
  if (here > 0) return here;
  let count = 0;
  for (let at: ResourceScope | undefined = scope; at; at = at.container)
    if (at.bundle) count += targetsIn(at.bundle.bundle).links.get(fragment) ?? 0;
  return count;
}

interface Targets {
  /** Element ids, XHTML ids and anchor names, by how often each occurs. */
  links: Map<string, number>;
  /** Element ids and XHTML ids (an image cannot point at an anchor name). */
  images: Map<string, number>;
}

/** Computed once per resource or Bundle: the lists of a whole Bundle are long. */
const targetCache = new WeakMap<JsonObject, Targets>();

function targetsIn(resource: JsonObject): Targets {
  const cached = targetCache.get(resource);
  if (cached) return cached;
  const targets: Targets = { links: new Map(), images: new Map() };
  const add = (map: Map<string, number>, id: string) => map.set(id, (map.get(id) ?? 0) + 1);
  const xhtmlIds: XhtmlHandler = {
    start(name, attributes) {
      const id = attributes.get('id');
      if (id !== undefined) {
        add(targets.links, id);
        add(targets.images, id);
      }
      const anchor = name === 'a' ? attributes.get('name') : undefined;
      if (anchor !== undefined) add(targets.links, anchor);
    },
    end() {},
    text() {},
  };
  const visit = (value: unknown, key: string | undefined, depth: number): void => {
    if (depth > 200) return;
    if (Array.isArray(value)) value.forEach((item) => visit(item, key, depth + 1));
    else if (isJsonObject(value)) {
      for (const [childKey, child] of Object.entries(value)) {
        if (childKey === 'id' && typeof child === 'string') {
          add(targets.links, child);
          add(targets.images, child);
        } else visit(child, childKey, depth + 1);
      }
    } else if (key === 'div' && typeof value === 'string') scanXhtml(value, xhtmlIds);
  };
  visit(resource, undefined, 0);
  targetCache.set(resource, targets);
  return targets;
}
