/* global process, console, performance, URLSearchParams */
/**
 * The search engine alone over 100,000 Patients in a MemoryStorage: indexing cost per resource at write,
 * and latency percentiles for token searches (identifier=sys|value, gender=female), a string prefix and a
 * _lastUpdated range.
 *
 *   npm run build && node --expose-gc bench/search-engine.measure.mjs [count]
 */
import { DefinitionRegistry } from '../dist/harness/fhir/index.js';
import { igPaths } from '../dist/harness/paths.js';
import { SearchEngine } from '../dist/harness/server/search/index.js';
import { MemoryStorage } from '../dist/harness/server/storage/index.js';

const COUNT = Number(process.argv[2] ?? 100_000);
const FAMILIES = ['Mohr', 'Müller', 'Smith', 'Nguyen', 'Okafor', 'Silva', 'Kim', 'Haddad'];

function patient(i) {
  return {
    resourceType: 'Patient',
    id: `p${i}`,
    identifier: [
      { system: 'http://openimis.org/insuree', value: `ins-${i}` },
      {
        system: 'urn:oid:1.2.3',
        value: `nid-${i}`,
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NI' }] },
      },
    ],
    active: true,
    name: [
      { use: 'official', family: `${FAMILIES[i % FAMILIES.length]}${i % 1000}`, given: [`Given${i % 97}`] },
    ],
    gender: i % 2 ? 'female' : 'male',
    birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
    telecom: [{ system: 'phone', value: `+255${i}` }],
    address: [{ city: `City${i % 50}`, country: 'TZ' }],
    generalPractitioner: [{ reference: `Practitioner/pr${i % 100}` }],
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function time(label, runs, fn) {
  for (let i = 0; i < 50; i++) fn(i);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(44)} p50 ${percentile(samples, 50).toFixed(3)} ms  p99 ${percentile(samples, 99).toFixed(3)} ms  max ${samples.at(-1).toFixed(3)} ms`,
  );
}

const registry = DefinitionRegistry.withCore();
registry.addPackage(igPaths().generatedResources);
const storage = new MemoryStorage();
let t = performance.now();
const engine = new SearchEngine(registry, storage);
console.log(
  `engine construction (catalogue of ${registry.urlsOfType('SearchParameter').length} SearchParameters): ${(performance.now() - t).toFixed(0)} ms`,
);

// Storage alone first, to separate its cost from indexing.
const bare = new MemoryStorage();
t = performance.now();
for (let i = 0; i < 20_000; i++)
  bare.commit([{ kind: 'write', type: 'Patient', id: `p${i}`, resource: patient(i), method: 'PUT' }]);
const storageOnly = (performance.now() - t) / 20_000;

t = performance.now();
for (let i = 0; i < COUNT; i++)
  storage.commit([{ kind: 'write', type: 'Patient', id: `p${i}`, resource: patient(i), method: 'PUT' }]);
const withIndex = (performance.now() - t) / COUNT;
console.log(
  `write ${COUNT} Patients: ${(withIndex * 1000).toFixed(0)} µs each with indexing, storage alone ${(storageOnly * 1000).toFixed(0)} µs: indexing ≈ ${((withIndex - storageOnly) * 1000).toFixed(0)} µs per resource`,
);
globalThis.gc?.();
console.log(
  `heap used (after GC when run with --expose-gc): ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
);

const search = (query, window) => engine.search('Patient', [...new URLSearchParams(query)], window);
const page = { offset: 0, count: 10 };
time('identifier=sys|value', 2000, (i) =>
  search(`identifier=http://openimis.org/insuree|ins-${(i * 7919) % COUNT}`),
);
time('gender=female, first page of 10', 2000, () => search('gender=female', page));
time('gender=female, all 50,000 ordered', 200, () => search('gender=female'));
time('gender=female&family=mohr1 (AND)', 500, () => search('gender=female&family=mohr1'));
time('family=nguy (string prefix), page of 10', 200, () => search('family=nguy', page));
time('birthdate=ge1990-01-01 (date scan), page', 100, () => search('birthdate=ge1990-01-01', page));
time('_lastUpdated=gt<recent> (date scan), page', 100, () =>
  search(`_lastUpdated=gt${new Date(Date.now() - 1).toISOString()}`, page),
);
time('general-practitioner=Practitioner/pr7', 500, () => search('general-practitioner=Practitioner/pr7'));
const ordered = search('gender=female').matches.length;
console.log(`check: gender=female finds ${ordered}`);
