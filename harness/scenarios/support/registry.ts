/**
 * A master facility list to sync from, as a national registry holds it: regions, districts and, in each
 * district, facilities. Each facility is a Location one level down (mCSD: managed by its Organization,
 * reached at its Endpoint), its Organization (an openIMIS health facility, its address naming the
 * district) and its Endpoint. Codes are the registry's own (`{prefix}...`), so runs do not collide.
 * The mfl-sync scenario, the sync tests and the sync bench build their registries here.
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../../json.js';
import { IDENTIFIER_SYSTEM, IG } from '../../openimis/payloads.js';
import { igExample } from './ig-resources.js';

export interface RegistryShape {
  regions: number;
  districtsPerRegion: number;
  facilitiesPerDistrict: number;
}

const LEVELS = `${IG}/CodeSystem/location-type`;

const codeIdentifiers = (code: string) => [
  { type: { coding: [{ system: IDENTIFIER_SYSTEM, code: 'Code' }] }, value: code },
  { type: { coding: [{ system: IDENTIFIER_SYSTEM, code: 'UUID' }] }, value: randomUUID() },
];

/** An openIMIS-shaped administrative Location (region R, district D, village V). */
export function registryLocation(
  id: string,
  code: string,
  name: string,
  level: string,
  parent?: string,
): JsonObject {
  return {
    resourceType: 'Location',
    id,
    status: 'active',
    mode: 'instance',
    identifier: codeIdentifiers(code),
    name,
    physicalType: { coding: [{ system: LEVELS, code: level }] },
    ...(parent ? { partOf: { reference: `Location/${parent}` } } : {}),
  };
}

/** A facility's Organization, from the IG's rapta-hospital, in a district, reached at an Endpoint. */
export function registryOrganization(
  id: string,
  code: string,
  name: string,
  district: string,
  endpoint: string,
): JsonObject {
  const { text: _text, meta: _meta, ...hospital } = igExample<JsonObject>('Organization-rapta-hospital.json');
  const address = (hospital.address as JsonObject[]).map((entry) => ({
    ...entry,
    extension: (entry.extension as JsonObject[]).map((extension) => ({
      ...extension,
      valueReference: { reference: `Location/${district}` },
    })),
  }));
  return {
    ...hospital,
    id,
    identifier: codeIdentifiers(code),
    name,
    address,
    endpoint: [{ reference: `Endpoint/${endpoint}` }],
  };
}

export function registryEndpoint(id: string, code: string): JsonObject {
  return {
    resourceType: 'Endpoint',
    id,
    identifier: [{ system: 'urn:mfl:endpoint', value: code }],
    status: 'active',
    connectionType: {
      system: 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type',
      code: 'hl7-fhir-rest',
    },
    payloadType: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/endpoint-payload-type', code: 'any' }] },
    ],
    address: `https://${code.toLowerCase()}.example.org/fhir`,
  };
}

/** Every resource of a registry of that shape, parents before children. */
export function facilityRegistry(shape: RegistryShape, prefix: string): JsonObject[] {
  const out: JsonObject[] = [];
  for (let r = 0; r < shape.regions; r++) {
    const region = `${prefix}-r${r}`;
    out.push(registryLocation(region, `${prefix}R${r}`, `Region ${prefix} ${r}`, 'R'));
    for (let d = 0; d < shape.districtsPerRegion; d++) {
      const district = `${region}-d${d}`;
      out.push(
        registryLocation(district, `${prefix}R${r}D${d}`, `District ${prefix} ${r}.${d}`, 'D', region),
      );
      for (let f = 0; f < shape.facilitiesPerDistrict; f++) {
        const facility = `${district}-f${f}`;
        const code = `${prefix}R${r}D${d}F${f}`;
        out.push(registryEndpoint(`${facility}-endpoint`, `${code}EP`));
        out.push(
          registryOrganization(
            `${facility}-org`,
            `${code}HF`,
            `Facility ${code}`,
            district,
            `${facility}-endpoint`,
          ),
        );
        out.push({
          ...registryLocation(facility, code, `Facility site ${code}`, 'V', district),
          managingOrganization: { reference: `Organization/${facility}-org` },
          endpoint: [{ reference: `Endpoint/${facility}-endpoint` }],
        });
      }
    }
  }
  return out;
}

/** A transaction Bundle PUTting the resources under their ids (how a registry is loaded). */
export function registryTransaction(resources: JsonObject[]): JsonObject {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: resources.map((resource) => ({
      resource,
      request: { method: 'PUT', url: `${String(resource.resourceType)}/${String(resource.id)}` },
    })),
  };
}
