/**
 * The compiled IG keeps every artifact of the published IG 1.0.0 at its URL, with every code, and adds
 * what real openIMIS payloads carry.
 */
import { describe, expect, it } from 'vitest';
import { CANONICAL, generatedIg, publishedIg } from '../support/generated-ig.js';

const ig = generatedIg();
const published = publishedIg();
const urls = (resources: { url?: string }[]) => new Set(resources.map((r) => r.url));

describe('the IG keeps every published artifact at its URL', () => {
  it.each(published.profiles)('profile %s', (id) => {
    expect(urls(ig.profiles)).toContain(`${CANONICAL}/StructureDefinition/${id}`);
  });
  it.each(published.extensions)('extension %s', (id) => {
    expect(urls(ig.extensions)).toContain(`${CANONICAL}/StructureDefinition/${id}`);
  });
  it.each(published.valueSets)('ValueSet %s', (id) => {
    expect(urls(ig.valueSets)).toContain(`${CANONICAL}/ValueSet/${id}`);
  });
  it.each(Object.keys(published.codeSystems))('CodeSystem %s', (id) => {
    expect(urls(ig.codeSystems)).toContain(`${CANONICAL}/CodeSystem/${id}`);
  });

  it('counts: the published 25 profiles (plus PaymentReconciliation), 35 extensions, 41 CodeSystems, 55 ValueSets', () => {
    expect(published.profiles).toHaveLength(25);
    expect(published.extensions).toHaveLength(35);
    expect(Object.keys(published.codeSystems)).toHaveLength(41);
    expect(published.valueSets).toHaveLength(55);
    expect(ig.profiles).toHaveLength(26);
    expect(ig.extensions).toHaveLength(35);
    expect(ig.codeSystems).toHaveLength(41);
    expect(ig.valueSets).toHaveLength(55);
  });

  it('keeps the published, misspelled ActivityDefinition profile id so real payloads still validate', () => {
    expect(urls(ig.profiles)).toContain(`${CANONICAL}/StructureDefinition/openimis-activitiy-definition`);
  });
});

describe('every published code is there with its display', () => {
  const byId = new Map(ig.codeSystems.map((cs) => [cs.id, cs]));
  const concepts = (id: string) => {
    const map = new Map<string, string | undefined>();
    const walk = (list: fhir4.CodeSystemConcept[] = []) => {
      for (const concept of list) {
        map.set(concept.code, concept.display);
        walk(concept.concept);
      }
    };
    walk(byId.get(id)?.concept);
    return map;
  };

  for (const [id, codes] of Object.entries(published.codeSystems)) {
    if (id === 'diagnosis-ICD10-level1') continue;
    it(`CodeSystem ${id}`, () => {
      const ours = concepts(id);
      for (const [code, display] of Object.entries(codes)) {
        expect(ours.has(code), `${id}#${code} is missing`).toBe(true);
        if (display !== null) expect(ours.get(code), `${id}#${code}`).toBe(display);
      }
      expect(byId.get(id)?.content).toBe('complete');
    });
  }

  it('ships the ICD-10 diagnoses as a fragment of common codes that a deployment replaces', () => {
    const diagnosis = byId.get('diagnosis-ICD10-level1');
    expect(diagnosis?.content).toBe('fragment');
    const ours = concepts('diagnosis-ICD10-level1');
    expect(ours.size).toBeGreaterThanOrEqual(24);
    expect(ours.size).toBeLessThan(200);
    for (const [code, display] of ours) {
      expect(code).toMatch(/^[A-Z]\d\d$/);
      expect(display).toBeTruthy();
    }
  });
});

describe('what real openIMIS payloads carry', () => {
  it('the identifier type codes the backend emits', () => {
    const identifiers = ig.codeSystems.find((cs) => cs.id === 'openimis-identifiers');
    const codes = (identifiers?.concept ?? []).map((c) => c.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'UUID',
        'Code',
        'ACSN',
        'SB',
        'PPN',
        'FI',
        'FILL',
        'MR',
        'LC',
        'DC',
        'IC',
        'SC',
      ]),
    );
  });

  it('a PaymentReconciliation profile for the payment step', () => {
    const profile = ig.profiles.find((p) => p.type === 'PaymentReconciliation');
    expect(profile?.url).toBe(`${CANONICAL}/StructureDefinition/openimis-payment-reconciliation`);
  });
});

describe('the compiled definitions', () => {
  it.each([...ig.profiles, ...ig.extensions].map((sd) => [sd.id, sd] as const))(
    '%s has a snapshot',
    (_id, sd) => {
      expect(sd.snapshot?.element.length).toBeGreaterThan(0);
      expect(sd.fhirVersion).toBe('4.0.1');
    },
  );

  it('extension contexts are element paths, never profile names', () => {
    for (const extension of ig.extensions) {
      expect(extension.context?.length, extension.id).toBeGreaterThan(0);
      for (const context of extension.context ?? []) {
        expect(context.type, extension.id).toBe('element');
        expect(context.expression, extension.id).toMatch(/^[A-Z][A-Za-z]+(\.[a-z][A-Za-z]*(\[x\])?)*$/);
      }
    }
  });

  it('patterns and fixed values pin system and code, never a display (payloads word displays their own way)', () => {
    const withDisplay: string[] = [];
    for (const sd of [...ig.profiles, ...ig.extensions]) {
      for (const element of [...(sd.snapshot?.element ?? []), ...(sd.differential?.element ?? [])]) {
        for (const [key, value] of Object.entries(element)) {
          if (/^(pattern|fixed)[A-Z]/.test(key) && JSON.stringify(value).includes('"display"')) {
            withDisplay.push(`${sd.id} ${element.id} ${key}`);
          }
        }
      }
    }
    expect(withDisplay).toEqual([]);
  });

  it('every artifact has a title and a description', () => {
    for (const artifact of [...ig.profiles, ...ig.extensions, ...ig.codeSystems, ...ig.valueSets]) {
      expect(artifact.title, artifact.url).toBeTruthy();
      expect(artifact.description, artifact.url).toBeTruthy();
    }
  });
});

describe('the examples', () => {
  const exampleRefs = new Set(ig.examples.map((e) => e.reference));

  it('at least one example illustrates every profile', () => {
    const illustrated = new Set(ig.examples.map((e) => e.profile));
    for (const profile of ig.profiles) expect(illustrated, profile.url).toContain(profile.url);
  });

  it('every example declares the profile it illustrates', () => {
    for (const example of ig.examples) {
      expect(example.profile, example.reference).toBeDefined();
      expect(example.resource.meta?.profile ?? [], example.reference).toContain(example.profile);
    }
  });

  it('form one little world: every reference between them resolves', () => {
    const unresolved: string[] = [];
    const visit = (node: unknown, owner: string) => {
      if (Array.isArray(node)) node.forEach((item) => visit(item, owner));
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'reference' && typeof value === 'string' && !value.startsWith('#')) {
            if (!exampleRefs.has(value)) unresolved.push(`${owner} -> ${value}`);
          } else visit(value, owner);
        }
      }
    };
    for (const example of ig.examples) visit(example.resource, example.reference);
    expect(unresolved).toEqual([]);
  });

  it('keep the ids of the published examples they continue', () => {
    const continued = [
      'Patient/john-doe',
      'Patient/jane-doe',
      'Group/doe-family',
      'InsurancePlan/RX01',
      'InsurancePlan/RX02',
      'Organization/openIMIS-Implementation',
      'Claim/Claim001',
      'ClaimResponse/Claim001',
    ];
    for (const reference of continued) {
      expect(published.examples).toContain(reference);
      expect(exampleRefs, reference).toContain(reference);
    }
  });
});

describe('the server CapabilityStatement', () => {
  const capability = ig.instances.find(
    (r): r is fhir4.CapabilityStatement => r.resourceType === 'CapabilityStatement',
  );

  it('states requirements for every resource the openIMIS server offers, with canonical profiles', () => {
    expect(capability?.kind).toBe('requirements');
    const resources = capability?.rest?.[0]?.resource ?? [];
    const profileUrls = urls(ig.profiles);
    for (const resource of resources) {
      for (const profile of [resource.profile, ...(resource.supportedProfile ?? [])].filter(Boolean)) {
        expect(profileUrls, `${resource.type}: ${profile}`).toContain(profile);
      }
    }
    expect(
      resources.find((r) => r.type === 'Subscription')?.supportedProfile ?? [
        resources.find((r) => r.type === 'Subscription')?.profile,
      ],
    ).toContain(`${CANONICAL}/StructureDefinition/openimis-subscription`);
    const types = resources.map((r) => r.type);
    for (const type of [
      'Patient',
      'Group',
      'Location',
      'Organization',
      'Practitioner',
      'PractitionerRole',
      'Claim',
      'ClaimResponse',
      'Coverage',
      'Contract',
      'CoverageEligibilityRequest',
      'Invoice',
      'PaymentNotice',
      'Subscription',
    ]) {
      expect(types).toContain(type);
    }
  });

  it('names its openIMIS-specific search parameters by SearchParameter resources of the IG', () => {
    const ours = urls(ig.searchParameters);
    expect(ours.size).toBeGreaterThan(0);
    for (const resource of capability?.rest?.[0]?.resource ?? []) {
      for (const param of resource.searchParam ?? []) {
        if (param.definition?.startsWith(CANONICAL))
          expect(ours, param.definition).toContain(param.definition);
      }
    }
  });
});
