/**
 * What a SUSHI build produced, read back from fsh-generated/resources and sorted by kind.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

type CodeSystem = fhir4.CodeSystem;
type FhirResource = fhir4.FhirResource;
type ImplementationGuide = fhir4.ImplementationGuide;
type SearchParameter = fhir4.SearchParameter;
type StructureDefinition = fhir4.StructureDefinition;
type ValueSet = fhir4.ValueSet;

export interface IgInventory {
  implementationGuide: ImplementationGuide | undefined;
  profiles: StructureDefinition[];
  extensions: StructureDefinition[];
  codeSystems: CodeSystem[];
  valueSets: ValueSet[];
  searchParameters: SearchParameter[];
  /** Every other resource the IG holds: examples, the CapabilityStatement. */
  instances: FhirResource[];
  /** Example instances (as the ImplementationGuide lists them), with the profile each one illustrates. */
  examples: { resource: FhirResource; reference: string; profile?: string }[];
}

export function readInventory(resourcesDir: string): IgInventory {
  if (!existsSync(resourcesDir)) throw new Error(`${resourcesDir} does not exist: build the IG first`);
  const inventory: IgInventory = {
    implementationGuide: undefined,
    profiles: [],
    extensions: [],
    codeSystems: [],
    valueSets: [],
    searchParameters: [],
    instances: [],
    examples: [],
  };
  const files = readdirSync(resourcesDir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  for (const name of files) {
    const resource = JSON.parse(readFileSync(join(resourcesDir, name), 'utf8')) as FhirResource;
    switch (resource.resourceType) {
      case 'ImplementationGuide':
        inventory.implementationGuide = resource;
        break;
      case 'StructureDefinition':
        (resource.type === 'Extension' ? inventory.extensions : inventory.profiles).push(resource);
        break;
      case 'CodeSystem':
        inventory.codeSystems.push(resource);
        break;
      case 'ValueSet':
        inventory.valueSets.push(resource);
        break;
      case 'SearchParameter':
        inventory.searchParameters.push(resource);
        break;
      default:
        inventory.instances.push(resource);
    }
  }
  const byReference = new Map(inventory.instances.map((r) => [`${r.resourceType}/${r.id}`, r]));
  for (const entry of inventory.implementationGuide?.definition?.resource ?? []) {
    const reference = entry.reference?.reference;
    const resource = reference ? byReference.get(reference) : undefined;
    if (!reference || !resource) continue;
    if (entry.exampleCanonical)
      inventory.examples.push({ resource, reference, profile: entry.exampleCanonical });
    else if (entry.exampleBoolean) inventory.examples.push({ resource, reference });
  }
  return inventory;
}
