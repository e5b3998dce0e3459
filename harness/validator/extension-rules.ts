/**
 * Extensions: the definition an extension is checked against (the profile of its slice, or the one
 * its url names), unknown and versioned urls, modifier extensions in the right place, and the contexts
 * an extension's definition allows it in.
 */
import type { JsonObject } from '../json.js';
import type { InvariantContext } from './invariants.js';
import type { CompiledStructure, ElementSchema, TypeRef } from './schema.js';
import type { Cursor, Item, ResourceScope, WalkContext } from './walk-context.js';

/** The names an element goes by for extension contexts depend only on the element. */
const contextNamesCache = new WeakMap<ElementSchema, Set<string>>();

/** Contexts any element meets. Resource and DomainResource are met by resources only (see contextNames). */
const GENERIC_CONTEXTS = ['Element', 'Base', 'Any'];

/** The extension rules of one walk. */
export class ExtensionRules {
  /** How many extensions nobody defined the walk is inside (their sub-extensions are not looked up). */
  private insideUnknown = 0;

  constructor(private readonly walk: WalkContext) {}

  /** Walks inside an extension nobody defined: its sub-extensions' urls are relative to a definition we lack. */
  insideUnknownExtension(walkInside: () => void): void {
    this.insideUnknown++;
    try {
      walkInside();
    } finally {
      this.insideUnknown--;
    }
  }

  /**
   * The definition an extension is checked against: the profile of the slice it matched, or the
   * definition its url names. Reports a missing or versioned url, an unknown extension, a modifier in the
   * wrong place and a wrong context; falls back to the core Extension definition, or says 'unknown'.
   */
  definition(
    value: JsonObject,
    element: ElementSchema,
    typeRef: TypeRef | undefined,
    cursor: Cursor,
    item: Item,
    scope: ResourceScope,
  ): CompiledStructure | 'unknown' | undefined {
    const { services } = this.walk;
    const core = this.walk.typeStructure('Extension');
    const url = value.url;
    if (typeof url !== 'string') {
      this.walk.report('EXT_URL_MISSING', cursor);
      return core;
    }
    // A sub-extension that a complex extension defines in place (a slice without a profile) has its rules
    // in the slice; one inside an extension nobody defined cannot be looked up.
    if ((element.sliceName !== undefined && !typeRef?.profiles.length) || this.insideUnknown > 0) return core;
    if (url.includes('|')) this.walk.report('EXT_URL_VERSIONED', cursor, { url });
    const isModifierPosition = item.jsonKey === 'modifierExtension';
    const definitionUrl = typeRef?.profiles[0] ?? url.split('|')[0] ?? url;
    const definition = services.definitions.structureDefinition(definitionUrl);
    if (!definition) {
      // The HL7 validator always has the extensions package and the cross-version extensions of core:
      // an unknown one of those namespaces may exist there, so it is never an error. An IG's extension
      // (hl7.org/fhir/uv/<ig>/...) is known only with its IG, like anyone else's.
      const hl7Domain =
        /^https?:\/\/hl7\.org\/fhir\/(\d+\.\d+\/)?StructureDefinition\//.test(url) ||
        /^https?:\/\/terminology\.hl7\.org\//.test(url);
      if (isModifierPosition) this.walk.report('EXT_MODIFIER_UNKNOWN', cursor, { url });
      else
        this.walk.report(
          'EXT_UNKNOWN',
          cursor,
          { url },
          { severity: hl7Domain ? 'warning' : services.policy.unknownExtension },
        );
      return 'unknown';
    }
    const compiled = services.compiler.compile(definitionUrl);
    if (!compiled.ok) {
      this.walk.report('STRUCT_DEFINITION_BROKEN', cursor, { url: definitionUrl, detail: compiled.error });
      return core;
    }
    if (isModifierPosition && !isModifierDefinition(definition)) {
      this.walk.report('EXT_MODIFIER_MISMATCH', cursor, {
        url,
        detail: 'is not a modifier extension, so it cannot be used in modifierExtension',
      });
    } else if (!isModifierPosition && isModifierDefinition(definition)) {
      this.walk.report('EXT_MODIFIER_MISMATCH', cursor, {
        url,
        detail: 'is a modifier extension, so it must be used in modifierExtension',
      });
    }
    this.context(compiled.structure, item, scope, url);
    return compiled.structure;
  }

  /**
   * Whether the element holding an extension is one of the contexts its definition allows (an element
   * path or type, another extension, or the result of a FHIRPath expression), and meets the definition's
   * context invariants. Said at the holding element, as the HL7 validator says it.
   */
  private context(structure: CompiledStructure, item: Item, scope: ResourceScope, url: string): void {
    const { context, contextInvariants } = structure;
    if (context.length === 0) return;
    const around = contextAround(scope);
    const allowed = context.some((declared) => this.allows(declared, item, scope, around));
    if (!allowed) {
      this.walk.report('EXT_CONTEXT_WRONG', item.ownerCursor, {
        url,
        path: item.holder.path,
        contexts: context.map(describeContext).join(', '),
      });
      return;
    }
    for (const invariant of contextInvariants) {
      const verdict = this.walk.services.invariants.test(invariant, item.holder.path, item.owner, around);
      if (verdict.status === 'fail')
        this.walk.report('EXT_CONTEXT_INVARIANT', item.ownerCursor, { url, invariant });
      else if (verdict.status === 'error')
        this.walk.report('INV_EVALUATION_FAILED', item.ownerCursor, {
          key: invariant,
          detail: verdict.message,
        });
    }
  }

  private allows(
    declared: fhir4.StructureDefinitionContext,
    item: Item,
    scope: ResourceScope,
    around: InvariantContext,
  ): boolean {
    const expression = declared.expression ?? '';
    switch (declared.type) {
      case 'element': {
        // A context may name the profile it belongs to (`profile#path`); the path is what is matched.
        const path = expression.includes('#') ? expression.slice(expression.indexOf('#') + 1) : expression;
        return GENERIC_CONTEXTS.includes(path) || this.contextNames(item.holder).has(path);
      }
      case 'extension':
        // Inside another extension: its url names it.
        return item.holder.types.some((t) => t.code === 'Extension') && item.owner.url === expression;
      case 'fhirpath': {
        const selected = this.walk.services.invariants.select(expression, '', scope.resource, around);
        return 'values' in selected && selected.values.includes(item.owner);
      }
      default:
        return false;
    }
  }

  /**
   * The names an element goes by for extension contexts: its path (`Patient.address.line`), its types
   * (`string`), and its path from each datatype on the way (`Address.line`).
   */
  private contextNames(holder: ElementSchema): Set<string> {
    let cached = contextNamesCache.get(holder);
    if (!cached) {
      cached = this.computeContextNames(holder);
      contextNamesCache.set(holder, cached);
    }
    return cached;
  }

  private computeContextNames(holder: ElementSchema): Set<string> {
    const names = new Set<string>([holder.path, ...holder.types.map((t) => t.code)]);
    const segments = holder.path.split('.');
    for (let split = segments.length - 1; split >= 1; split--) {
      for (const type of this.elementTypes(segments.slice(0, split).join('.'))) {
        names.add([type, ...segments.slice(split)].join('.'));
      }
    }
    if (segments.length === 1) for (const type of ['Resource', 'DomainResource']) names.add(type);
    return names;
  }

  /** The types of the element at a definition path (`Patient.address` -> Address), from the core definitions. */
  private elementTypes(path: string): string[] {
    const rootType = path.split('.')[0] ?? '';
    const compiled = this.walk.services.compiler.compileType(rootType);
    if (!compiled.ok) return [];
    return compiled.structure.byId.get(path)?.types.map((t) => t.code) ?? [];
  }
}

function isModifierDefinition(definition: fhir4.StructureDefinition): boolean {
  const root = definition.snapshot?.element?.[0] ?? definition.differential?.element?.[0];
  return root?.isModifier === true;
}

/** What FHIRPath sees around an extension's holder: the resource, its root, the Bundle. */
function contextAround(scope: ResourceScope): InvariantContext {
  return {
    resource: scope.resource,
    rootResource: scope.root,
    ...(scope.bundle ? { bundle: scope.bundle.bundle } : {}),
  };
}

/** A context as the HL7 validator lists them: e: element, x: extension, p: FHIRPath. */
function describeContext(declared: fhir4.StructureDefinitionContext): string {
  const prefix = declared.type === 'element' ? 'e' : declared.type === 'extension' ? 'x' : 'p';
  return `${prefix}:${declared.expression ?? ''}`;
}
