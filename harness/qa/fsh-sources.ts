/**
 * Where each artifact and each instance rule of the IG was written. SUSHI's output carries no source map,
 * so the FSH is parsed again in-process with SUSHI's own importer: every entity and rule it produces
 * carries `sourceInfo` (file, start line). Instance rules are expanded the way SUSHI's exporter expands
 * them (RuleSets inserted, soft indexes `[+]`/`[=]` resolved) so their paths match the generated JSON.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import sushi from 'fsh-sushi';
import sushiCommon from 'fsh-sushi/dist/fhirtypes/common.js';
import { igPaths } from '../paths.js';

/** A place in the FSH: the file relative to the project root, a 1-based line and column. */
export interface FshPlace {
  file: string;
  line: number;
  /** 1-based; where an entity's keyword or a rule's path begins. Absent when unknown. */
  column?: number;
}

/** An assignment rule of an instance, after RuleSets and soft indexes were resolved. */
export interface FshInstanceRule extends FshPlace {
  /** The FSH path: `identifier[Code].value`, `item[1].unitPrice`. */
  path: string;
  /** The assigned value as the primitives it writes into the JSON (a code, a reference, a string...). */
  tokens: string[];
  /** Where the RuleSet holding this rule was inserted, when it came from one. */
  insertedAt?: FshPlace;
}

export interface FshInstance extends FshPlace {
  name: string;
  id: string;
  instanceOf: string;
  rules: FshInstanceRule[];
}

/** A profile's rule (for pointing at the rule that made an element must-support). */
export interface FshStructureRule extends FshPlace {
  path: string;
}

export interface FshDeclaration extends FshPlace {
  kind: 'Profile' | 'Extension' | 'CodeSystem' | 'ValueSet' | 'Instance';
  name: string;
  id: string;
  rules: FshStructureRule[];
}

/** An Invariant, placed at its expression: the line and column of the expression's first character. */
export interface FshInvariant extends FshPlace {
  name: string;
  expression: string;
  /** Where the Invariant itself is declared. */
  declaredAt: FshPlace;
}

export interface FshSources {
  /** A line of an FSH file (relative to the project root, 1-based), each file read once; '' when none. */
  line(file: string, line: number): string;
  /** Invariants by name (the constraint key SUSHI gives them). */
  invariants: Map<string, FshInvariant>;
  /** Instances by FSH name (names are unique in an IG; ids are only unique per resource type). */
  instances: Map<string, FshInstance>;
  /** SUSHI's own index of its output: generated file name -> FSH name (fsh-generated/data/fsh-index.json). */
  outputs: Map<string, string>;
  /** Profiles, extensions, CodeSystems and ValueSets, by `<kind>/<id>`. */
  declarations: Map<string, FshDeclaration>;
}

type SourceInfo = sushi.fshtypes.SourceInfo;
type SushiRule = { path: string; sourceInfo: SourceInfo; constructorName: string; value?: unknown };

function place(root: string, info: SourceInfo | undefined): FshPlace {
  const column = info?.location?.startColumn;
  return {
    file: info?.file ? relative(root, info.file).split('\\').join('/') : '',
    line: info?.location?.startLine ?? 0,
    ...(column ? { column } : {}),
  };
}

/** A rule's place: SUSHI's location starts at its `*`; the path begins two columns on (`* path`). */
function rulePlace(root: string, info: SourceInfo | undefined): FshPlace {
  const at = place(root, info);
  return at.column === undefined ? at : { ...at, column: at.column + 2 };
}

/** The primitives an assigned value writes, so a rule can be told apart from its siblings in the JSON. */
export function valueTokens(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return [String(value)];
  if (typeof value === 'bigint') return [value.toString()];
  if (typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (typeof record.code === 'string') return [record.code]; // FshCode
  if (typeof record.reference === 'string') return [record.reference]; // FshReference
  if (typeof record.value === 'number' || typeof record.value === 'bigint') return valueTokens(record.value); // FshQuantity
  if (typeof record.entityName === 'string') return []; // FshCanonical: resolved to a URL by SUSHI
  return [];
}

/** Parses input/fsh of the project at `root` with SUSHI's importer, silently (the build logs already). */
export function loadFshSources(root: string): FshSources {
  const { utils } = sushi;
  const logger = utils.logger;
  const wasSilent = logger.silent;
  logger.silent = true;
  try {
    const paths = igPaths(root);
    const config = utils.readConfig(root);
    const raw = utils.getRawFSHes(paths.fsh);
    const tank = utils.fillTank(raw, config);
    // The files SUSHI read, kept as lines: locations inside a rule or an expression are found in them.
    const linesByFile = new Map(
      raw.map((fsh) => [relative(root, fsh.path).split('\\').join('/'), fsh.content.split(/\r?\n/)]),
    );
    const line = (file: string, number: number) => linesByFile.get(file)?.[number - 1] ?? '';
    const instances = new Map<string, FshInstance>();
    for (const instance of tank.getAllInstances()) {
      sushiCommon.applyInsertRules(instance, tank);
      utils.resolveSoftIndexing(instance.rules);
      const rules: FshInstanceRule[] = [];
      for (const rule of instance.rules as SushiRule[]) {
        if (rule.constructorName !== 'AssignmentRule') continue;
        const info = rule.sourceInfo;
        rules.push({
          path: rule.path,
          tokens: valueTokens(rule.value),
          ...rulePlace(root, info),
          ...(info.appliedFile
            ? { insertedAt: place(root, { file: info.appliedFile, location: info.appliedLocation }) }
            : {}),
        });
      }
      instances.set(instance.name, {
        name: instance.name,
        id: instance.id,
        instanceOf: instance.instanceOf,
        rules,
        ...place(root, instance.sourceInfo),
      });
    }
    const declarations = new Map<string, FshDeclaration>();
    const declare = (
      kind: FshDeclaration['kind'],
      entity: { name: string; id: string; sourceInfo: SourceInfo; rules: unknown[] },
    ) => {
      if (kind === 'Profile' || kind === 'Extension') {
        sushiCommon.applyInsertRules(entity as sushi.fshtypes.Profile, tank);
      }
      const rules = (entity.rules as SushiRule[])
        .filter((rule) => typeof rule.path === 'string')
        .map((rule) => ({ path: rule.path, ...rulePlace(root, rule.sourceInfo) }));
      declarations.set(`${kind}/${entity.id}`, {
        kind,
        name: entity.name,
        id: entity.id,
        rules,
        ...place(root, entity.sourceInfo),
      });
    };
    for (const profile of tank.getAllProfiles()) declare('Profile', profile);
    for (const extension of tank.getAllExtensions()) declare('Extension', extension);
    for (const codeSystem of tank.getAllCodeSystems()) declare('CodeSystem', codeSystem);
    for (const valueSet of tank.getAllValueSets()) declare('ValueSet', valueSet);
    const invariants = new Map<string, FshInvariant>();
    for (const invariant of tank.getAllInvariants()) {
      const declaredAt = place(root, invariant.sourceInfo);
      const expression = invariant.expression ?? '';
      if (expression === '') continue;
      invariants.set(invariant.name, {
        name: invariant.name,
        expression,
        declaredAt,
        ...expressionPlace(invariant.sourceInfo, declaredAt, line),
      });
    }
    return { line, instances, declarations, invariants, outputs: readOutputIndex(paths.generated) };
  } finally {
    logger.silent = wasSilent;
  }
}

/**
 * Where an invariant's expression text starts: SUSHI keeps the Invariant's span only, so its lines are
 * read for the `Expression:` keyword (or an `* expression =` rule) and the quote that opens the text.
 */
function expressionPlace(info: SourceInfo, declaredAt: FshPlace, lineOf: FshSources['line']): FshPlace {
  const fallback = { file: declaredAt.file, line: declaredAt.line, column: declaredAt.column ?? 1 };
  if (!info.location) return fallback;
  for (let index = info.location.startLine - 1; index < info.location.endLine; index++) {
    const match = /^(\s*(?:Expression\s*:|\*\s*expression\s*=)\s*)("""|")/.exec(
      lineOf(declaredAt.file, index + 1),
    );
    if (match)
      return {
        file: declaredAt.file,
        line: index + 1,
        column: (match[1] ?? '').length + (match[2] ?? '').length + 1,
      };
  }
  return fallback;
}

/** SUSHI writes which FSH entity produced each output file; it is the exact entity-level map. */
function readOutputIndex(generatedDir: string): Map<string, string> {
  const file = join(generatedDir, 'data', 'fsh-index.json');
  const outputs = new Map<string, string>();
  if (!existsSync(file)) return outputs;
  const entries = JSON.parse(readFileSync(file, 'utf8')) as { outputFile?: string; fshName?: string }[];
  for (const entry of entries) {
    if (entry.outputFile && entry.fshName) outputs.set(entry.outputFile, entry.fshName);
  }
  return outputs;
}

/** The FSH instance a generated resource came from: by SUSHI's index, else by id. */
export function instanceOf(
  sources: FshSources,
  resource: { resourceType: string; id?: string },
): FshInstance | undefined {
  const name = sources.outputs.get(`${resource.resourceType}-${resource.id ?? ''}.json`);
  if (name) return sources.instances.get(name);
  return [...sources.instances.values()].find((instance) => instance.id === resource.id);
}
