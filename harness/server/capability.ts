/**
 * GET /metadata: a CapabilityStatement (kind instance) generated from what this server really does:
 * every resource type with its interactions, search parameters, profiles and operations.
 */
import type { SystemInteraction, TypeInteraction } from './extension-points.js';
import type { SearchParameterInfo } from './search/index.js';

/** What the server offers on one resource type, as its routes and plug-ins make it. */
export interface ResourceCapability {
  interactions: TypeInteraction[];
  conditionalCreate: boolean;
  conditionalUpdate: boolean;
  conditionalDelete: boolean;
  documentation?: string;
}

export interface CapabilityInputs {
  base: string;
  softwareVersion: string;
  resourceTypes: string[];
  resource: (type: string) => ResourceCapability;
  systemInteractions: SystemInteraction[];
  searchParameters: (type: string) => SearchParameterInfo[];
  profiles: Map<string, string[]>;
  operations: { name: string; definition: string; types?: string[]; system?: boolean }[];
  /** The IG's requirements statement this server implements. */
  instantiates: string[];
  authentication: boolean;
  formats: string[];
}

/**
 * Only parameters the engine evaluates are declared: one without an expression (_text, _content,
 * _query) or of type composite or special is refused by a search, so declaring it would be a lie.
 */
const isSearchable = (param: SearchParameterInfo) =>
  param.expression !== undefined && param.type !== 'composite' && param.type !== 'special';

export function capabilityStatement(inputs: CapabilityInputs): fhir4.CapabilityStatement {
  const systemOperations = inputs.operations
    .filter((op) => op.system)
    .map((op) => ({ name: op.name, definition: op.definition }));
  const resources: fhir4.CapabilityStatementRestResource[] = inputs.resourceTypes.map((type) => {
    const offered = inputs.resource(type);
    const resource: fhir4.CapabilityStatementRestResource = {
      type: type as fhir4.CapabilityStatementRestResource['type'],
      profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
      ...(offered.documentation ? { documentation: offered.documentation } : {}),
      interaction: offered.interactions.map((code) => ({ code })),
      versioning: 'versioned-update',
      readHistory: offered.interactions.includes('vread'),
      updateCreate: offered.interactions.includes('update'),
      conditionalCreate: offered.conditionalCreate,
      conditionalRead: 'not-supported',
      conditionalUpdate: offered.conditionalUpdate,
      conditionalDelete: offered.conditionalDelete ? 'multiple' : 'not-supported',
    };
    // Search parameters and includes mean something only where a client may search.
    if (offered.interactions.includes('search-type')) {
      resource.searchInclude = ['*'];
      resource.searchRevInclude = ['*'];
      resource.searchParam = inputs
        .searchParameters(type)
        .filter(isSearchable)
        .map((param) => ({
          name: param.code,
          definition: param.url,
          type: param.type,
          ...(param.documentation ? { documentation: param.documentation } : {}),
        }));
    }
    const profiles = inputs.profiles.get(type);
    if (profiles?.length) resource.supportedProfile = profiles;
    const operations = inputs.operations.filter((op) => !op.system && (!op.types || op.types.includes(type)));
    if (operations.length)
      resource.operation = operations.map((op) => ({ name: op.name, definition: op.definition }));
    return resource;
  });
  return {
    resourceType: 'CapabilityStatement',
    text: {
      status: 'generated',
      div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>openimis-fhir reference server ${inputs.softwareVersion}: FHIR R4 REST for ${inputs.resourceTypes.length} resource types, JSON and XML.</p></div>`,
    },
    name: 'OpenimisFhirReferenceServer',
    title: 'openimis-fhir reference server',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    ...(inputs.instantiates.length ? { instantiates: inputs.instantiates } : {}),
    software: { name: 'openimis-fhir reference server', version: inputs.softwareVersion },
    implementation: {
      description: 'openimis-fhir reference server (a sandbox for the openIMIS FHIR R4 IG)',
      url: inputs.base,
    },
    fhirVersion: '4.0.1',
    format: inputs.formats,
    patchFormat: ['application/json-patch+json'],
    rest: [
      {
        mode: 'server',
        ...(inputs.authentication
          ? {
              security: {
                service: [
                  {
                    text: 'openIMIS login: POST {base}/login with {username, password}, then Authorization: Bearer <token>',
                  },
                ],
                description:
                  'Every request but /metadata and /login needs a Bearer token from POST {base}/login; tokens expire.',
              },
            }
          : {}),
        resource: resources,
        interaction: inputs.systemInteractions.map((code) => ({ code })),
        searchParam: [
          { name: '_id', definition: 'http://hl7.org/fhir/SearchParameter/Resource-id', type: 'token' },
          {
            name: '_lastUpdated',
            definition: 'http://hl7.org/fhir/SearchParameter/Resource-lastUpdated',
            type: 'date',
          },
        ],
        // R4 forbids empty arrays: no system operation, no `operation` element.
        ...(systemOperations.length > 0 ? { operation: systemOperations } : {}),
      },
    ],
  };
}
