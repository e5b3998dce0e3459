/**
 * The validator's API: `validate(resourceOrText, {profiles})` returns an R4 OperationOutcome. It is
 * synchronous, and it never throws: bad input of any kind becomes issues.
 */
import { DefinitionRegistry } from '../fhir/definitions.js';
import { fromXml } from '../fhir/xml-format.js';
import { locateInXml, xmlElementLocations } from '../fhir/xml-locations.js';
import { Terminology } from '../terminology/index.js';
import { issue, sortAndDeduplicate, toOperationOutcome, type ValidationIssue } from './issues.js';
import { DEFAULT_MAX_DEPTH, parseJsonSource, type ParsedJson } from './json-source.js';
import { InvariantEvaluator } from './invariants.js';
import { SchemaCompiler } from './schema.js';
import { SliceMatcher } from './slicing.js';
import type { JsonObject } from '../json.js';
import type { Services } from './walk-context.js';
import { Walk } from './walker.js';
import { describeError } from './describe.js';

export interface ValidatorOptions {
  /**
   * The severity of an extension whose definition cannot be found: 'warning' (the default) or 'error',
   * as the HL7 validator does for extensions outside the domains it was told to allow.
   */
  unknownExtension?: 'warning' | 'error';
  /**
   * The severity of a Coding's display that its code system does not give for the code: 'warning' (the
   * default: payloads word displays their own way) or 'error', the HL7 validator's default (its
   * `-display-issues-are-warnings` switch makes it a warning).
   */
  displayMismatch?: 'warning' | 'error';
}

export interface ValidateOptions {
  /** Profiles (canonical URLs) to validate against, besides the resource's own meta.profile. */
  profiles?: string[];
}

export interface ValidationResult {
  issues: ValidationIssue[];
  outcome: fhir4.OperationOutcome;
  /**
   * Who the resource is, for keys that must survive a file being moved: `Type/id`, else
   * `Type?identifier=system|value` from its first identifier; absent when it has neither.
   */
  identity?: string;
}

/** A resource's identity (see ValidationResult.identity). */
export function resourceIdentity(resource: JsonObject): string | undefined {
  const type = typeof resource.resourceType === 'string' ? resource.resourceType : '';
  if (typeof resource.id === 'string' && resource.id !== '') return `${type}/${resource.id}`;
  const first = Array.isArray(resource.identifier)
    ? (resource.identifier[0] as unknown)
    : resource.identifier;
  if (typeof first !== 'object' || first === null) return undefined;
  const { system, value } = first as { system?: unknown; value?: unknown };
  if (typeof value !== 'string') return undefined;
  return `${type}?identifier=${typeof system === 'string' ? `${system}|` : ''}${value}`;
}

/** A document whose first character (after a byte order mark and white space) opens an XML tag. */
const XML_START = /^\uFEFF?\s*</;

/** A FHIRPath-like expression for a JSON path below the resource: `Patient.name[0]`. */
function expressionOf(type: string, path: ReadonlyArray<string | number>): string {
  return path.reduce<string>(
    (expression, step) => (typeof step === 'number' ? `${expression}[${step}]` : `${expression}.${step}`),
    type,
  );
}

/**
 * The depth of a value, counted without recursion, stopping early past the limit. Two stacks side by
 * side rather than an object per node: it runs on every resource validated as an object.
 */
function depthExceeds(value: unknown, limit: number): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const current = values.pop();
    const depth = depths.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return true;
    if (Array.isArray(current)) {
      for (const child of current)
        if (typeof child === 'object' && child !== null) {
          values.push(child);
          depths.push(depth + 1);
        }
    } else {
      for (const key in current) {
        if (!Object.hasOwn(current, key)) continue;
        const child = (current as Record<string, unknown>)[key];
        if (typeof child === 'object' && child !== null) {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}

/** The issues, and the OperationOutcome built from them only when asked for (most callers want the issues). */
class Result implements ValidationResult {
  #outcome: fhir4.OperationOutcome | undefined;

  constructor(
    readonly issues: ValidationIssue[],
    readonly identity?: string,
  ) {}

  get outcome(): fhir4.OperationOutcome {
    return (this.#outcome ??= toOperationOutcome(this.issues));
  }
}

export class Validator {
  private readonly services: Services;

  constructor(
    readonly definitions: DefinitionRegistry,
    options: ValidatorOptions = {},
  ) {
    const compiler = new SchemaCompiler(definitions);
    const terminology = new Terminology(definitions);
    this.services = {
      policy: {
        unknownExtension: options.unknownExtension ?? 'warning',
        displayMismatch: options.displayMismatch ?? 'warning',
      },
      definitions,
      compiler,
      terminology,
      invariants: new InvariantEvaluator(),
      slices: new SliceMatcher(compiler, terminology),
    };
  }

  validate(input: string | object, options: ValidateOptions = {}): fhir4.OperationOutcome {
    return this.validateDetailed(input, options).outcome;
  }

  validateDetailed(input: string | object, options: ValidateOptions = {}): ValidationResult {
    let issues: ValidationIssue[];
    let identity: string | undefined;
    try {
      ({ issues, identity } = this.run(input, options));
    } catch (error) {
      // A fault of the validator itself: still an answer, never an exception.
      const text =
        error instanceof RangeError
          ? 'the input is nested too deeply to validate'
          : `internal error: ${describeError(error)}`;
      issues = [issue('STRUCT_VALIDATOR_FAULT', '', { detail: text })];
    }
    return new Result(sortAndDeduplicate(issues), identity);
  }

  /**
   * FHIR XML: read into JSON by FHIR.js (fhir/xml-format.ts), validated as that JSON, each issue placed
   * at the line and column of the XML element its expression names (or its nearest ancestor).
   */
  private runXml(xml: string, options: ValidateOptions): { issues: ValidationIssue[]; identity?: string } {
    const read = fromXml(xml);
    if (!read.ok) {
      // The XML parser says where it stopped (line from 0): `Line: 0, Column: 65, Char: >`.
      const at = /Line: (\d+), Column: (\d+)/.exec(read.message);
      const location = at ? { line: Number(at[1]) + 1, column: Number(at[2]) } : undefined;
      const found = issue('STRUCT_XML_SYNTAX', '', { detail: read.message });
      return { issues: [location ? { ...found, location } : found] };
    }
    const result = this.run(read.resource, options);
    const places = xmlElementLocations(xml);
    const issues = result.issues.map((item) => {
      const location = locateInXml(places, item.expression);
      return location ? { ...item, location } : item;
    });
    return { ...result, issues };
  }

  /** The issues, and who the resource is when it could be read as one. */
  private run(
    input: string | object,
    options: ValidateOptions,
  ): { issues: ValidationIssue[]; identity?: string } {
    let value: unknown = input;
    let source: ParsedJson | undefined;
    if (typeof input === 'string' && XML_START.test(input)) return this.runXml(input, options);
    if (typeof input === 'string') {
      const parsed = parseJsonSource(input);
      if (!parsed.ok) {
        return {
          issues: [
            {
              ...issue('STRUCT_JSON_SYNTAX', '', { detail: parsed.error.message }),
              location: parsed.error.location,
            },
          ],
        };
      }
      source = parsed.json;
      value = parsed.json.value;
    } else if (depthExceeds(input, DEFAULT_MAX_DEPTH)) {
      return { issues: [issue('STRUCT_JSON_TOO_DEEP', '', { max: DEFAULT_MAX_DEPTH })] };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      return { issues: [issue('STRUCT_JSON_NOT_OBJECT', '', { found })] };
    }
    const resource = value as JsonObject;
    const walk = new Walk(this.services, source);
    const type = typeof resource.resourceType === 'string' ? resource.resourceType : '';
    for (const duplicate of source?.duplicateKeys ?? []) {
      walk.issues.push({
        ...issue('STRUCT_DUPLICATE_PROPERTY', expressionOf(type, duplicate.path), { name: duplicate.key }),
        location: duplicate.second,
      });
    }
    walk.resource(resource, { expression: type }, { root: resource }, options.profiles ?? []);
    const identity = resourceIdentity(resource);
    return identity === undefined ? { issues: walk.issues } : { issues: walk.issues, identity };
  }
}

/** A validator for FHIR R4 core and the given IG packages (folders, package folders, .tgz files). */
export function createValidator(options: ValidatorOptions & { igs?: string[] } = {}): Validator {
  const definitions = DefinitionRegistry.withCore();
  for (const ig of options.igs ?? []) definitions.addPackage(ig);
  return new Validator(definitions, options);
}
