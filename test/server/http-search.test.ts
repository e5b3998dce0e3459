/**
 * Search over HTTP (search.html): every parameter type and modifier the issue lists, the result
 * parameters, paging, includes, and the searchset Bundle. One little world is stored once; every name,
 * identifier and tag in it starts with a marker of this run, so searches see only it.
 */
import { describe, expect, it } from 'vitest';
import {
  TEST_SYSTEM,
  call,
  marker,
  matchIds,
  outcomeText,
  post,
  put,
  type Json,
  serveForFile,
} from '../support/http-server.js';

let base: string;
const M = marker('s');
const id = (name: string) => `${M}-${name}`;
const UCUM = 'http://unitsofmeasure.org';

function patient(name: string, family: string, extra: Json): Json {
  return {
    resourceType: 'Patient',
    id: id(name),
    name: [{ family, given: ['Test'] }],
    identifier: [{ system: TEST_SYSTEM, value: id(name) }],
    ...extra,
  };
}

function observation(name: string, extra: Json): Json {
  return {
    resourceType: 'Observation',
    id: id(name),
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }], text: `${M} body weight` },
    ...extra,
  };
}

const kg = (value: number) => ({ value, unit: 'kg', system: UCUM, code: 'kg' });

const world: Json[] = [
  { resourceType: 'Organization', id: id('org'), name: `${M} clinic` },
  patient('p1', `${M}Smith`, {
    gender: 'female',
    birthDate: '1980-03-14',
    meta: { tag: [{ system: 'urn:test:tags', code: M }], profile: [`http://example.org/profile/${M}`] },
    generalPractitioner: [{ reference: `Organization/${id('org')}` }],
  }),
  patient('p2', `${M}Smithson`, { gender: 'male', birthDate: '1990-07-01' }),
  patient('p3', `${M}Jönsson`, { gender: 'female' }),
  patient('p4', `${M}Jones`, { gender: 'other', birthDate: '1980-12-31' }),
  patient('p5', `x${M}smith`, { gender: 'unknown', birthDate: '2000-01-01' }),
  observation('o1', {
    subject: { reference: `Patient/${id('p1')}` },
    valueQuantity: kg(72.5),
    effectiveDateTime: '2024-05-01T10:00:00Z',
  }),
  observation('o2', { subject: { reference: `Patient/${id('p2')}` }, valueQuantity: kg(60) }),
  observation('o3', { subject: { identifier: { system: TEST_SYSTEM, value: id('p3') } } }),
  {
    resourceType: 'RiskAssessment',
    id: id('r1'),
    status: 'final',
    subject: { reference: `Patient/${id('p1')}` },
    prediction: [{ probabilityDecimal: 0.8 }],
  },
  {
    resourceType: 'RiskAssessment',
    id: id('r2'),
    status: 'final',
    subject: { reference: `Patient/${id('p2')}` },
    prediction: [{ probabilityDecimal: 0.2 }],
  },
  { resourceType: 'ValueSet', id: id('vs'), status: 'draft', url: `http://example.org/ValueSet/${M}` },
];

serveForFile({ validation: 'off' }, async (url) => {
  base = url;
  for (const resource of world) {
    const answer = await put(`${base}/${resource.resourceType}/${resource.id}`, resource);
    if (answer.status !== 201) throw new Error(`could not store ${resource.id}: ${answer.text}`);
  }
});

/** The ids a search matches, as the short names of the world (p1, o2...), sorted. */
async function found(query: string, type = 'Patient'): Promise<string[]> {
  const answer = await call(`${base}/${type}?${query}`);
  expect(answer.status, `${type}?${query}: ${answer.text}`).toBe(200);
  return matchIds(answer.body)
    .map((full) => full.slice(M.length + 1))
    .sort();
}

const ours = `family=${M}`;

describe('string parameters', () => {
  it('match the start of a word, ignoring case and accents', async () => {
    expect(await found(`family=${M}smi`)).toEqual(['p1', 'p2']);
    expect(await found(`family=${M.toUpperCase()}SMI`)).toEqual(['p1', 'p2']);
    expect(await found(`family=${M}jons`)).toEqual(['p3']);
  });

  it(':exact matches the whole string, case and accents included', async () => {
    expect(await found(`family:exact=${M}Smith`)).toEqual(['p1']);
    expect(await found(`family:exact=${M}smith`)).toEqual([]);
    expect(await found(`family:exact=${M}Jönsson`)).toEqual(['p3']);
  });

  it(':contains matches anywhere', async () => {
    expect(await found(`family:contains=${M}smith`)).toEqual(['p1', 'p2', 'p5']);
  });
});

describe('token parameters', () => {
  it('code alone, and system|code', async () => {
    expect(await found(`${ours}&gender=female`)).toEqual(['p1', 'p3']);
    expect(await found(`identifier=${encodeURIComponent(`${TEST_SYSTEM}|${id('p2')}`)}`)).toEqual(['p2']);
    expect(await found(`identifier=${id('p4')}`)).toEqual(['p4']);
    expect(await found(`identifier=${encodeURIComponent(`urn:other|${id('p2')}`)}`)).toEqual([]);
  });

  it(':not, :text and :missing', async () => {
    expect(await found(`${ours}&gender:not=female`)).toEqual(['p2', 'p4']);
    expect(await found(`code:text=${encodeURIComponent(`${M} body`)}`, 'Observation')).toEqual([
      'o1',
      'o2',
      'o3',
    ]);
    expect(await found(`${ours}&birthdate:missing=true`)).toEqual(['p3']);
    expect(await found(`${ours}&birthdate:missing=false`)).toEqual(['p1', 'p2', 'p4']);
  });
});

describe('reference parameters', () => {
  it('Type/id, a bare id, and :identifier', async () => {
    expect(await found(`subject=Patient/${id('p1')}`, 'Observation')).toEqual(['o1']);
    expect(await found(`subject=${id('p2')}`, 'Observation')).toEqual(['o2']);
    expect(await found(`patient=Patient/${id('p1')}`, 'Observation')).toEqual(['o1']);
    const identifier = encodeURIComponent(`${TEST_SYSTEM}|${id('p3')}`);
    expect(await found(`subject:identifier=${identifier}`, 'Observation')).toEqual(['o3']);
  });
});

describe('date parameters', () => {
  it('an implicit eq is the range of the given precision', async () => {
    expect(await found(`${ours}&birthdate=1980`)).toEqual(['p1', 'p4']);
    expect(await found(`${ours}&birthdate=1980-03`)).toEqual(['p1']);
    expect(await found(`${ours}&birthdate=eq1980-03-14`)).toEqual(['p1']);
  });

  it('every prefix: ne gt lt ge le sa eb ap', async () => {
    expect(await found(`${ours}&birthdate=ne1980-03-14`)).not.toContain('p1');
    expect(await found(`${ours}&birthdate=ne1980-03-14`)).toEqual(expect.arrayContaining(['p2', 'p4']));
    expect(await found(`${ours}&birthdate=gt1990-01-01`)).toEqual(['p2']);
    expect(await found(`${ours}&birthdate=ge1990-07-01`)).toEqual(['p2']);
    expect(await found(`${ours}&birthdate=lt1980-12-31`)).toEqual(['p1']);
    expect(await found(`${ours}&birthdate=le1980-12-31`)).toEqual(['p1', 'p4']);
    expect(await found(`${ours}&birthdate=sa1985`)).toEqual(['p2']);
    expect(await found(`${ours}&birthdate=eb1985`)).toEqual(['p1', 'p4']);
    expect(await found(`${ours}&birthdate=ap1980-03-14`)).toContain('p1');
  });

  it('a dateTime compares with instants and days', async () => {
    const o1 = `_id=${id('o1')}`;
    expect(await found(`${o1}&date=2024-05-01`, 'Observation')).toEqual(['o1']);
    expect(await found(`${o1}&date=${encodeURIComponent('gt2024-05-01T09:00:00Z')}`, 'Observation')).toEqual([
      'o1',
    ]);
    expect(await found(`${o1}&date=${encodeURIComponent('gt2024-05-01T11:00:00Z')}`, 'Observation')).toEqual(
      [],
    );
  });
});

describe('number, quantity and uri parameters', () => {
  const risks = `_id=${id('r1')},${id('r2')}`;

  it('number with prefixes', async () => {
    expect(await found(`${risks}&probability=gt0.5`, 'RiskAssessment')).toEqual(['r1']);
    expect(await found(`${risks}&probability=lt0.5`, 'RiskAssessment')).toEqual(['r2']);
    expect(await found(`${risks}&probability=0.8`, 'RiskAssessment')).toEqual(['r1']);
  });

  it('quantity with prefix, system and code', async () => {
    const values = `_id=${id('o1')},${id('o2')}`;
    const query = (value: string) => `${values}&value-quantity=${encodeURIComponent(value)}`;
    expect(await found(query(`gt70|${UCUM}|kg`), 'Observation')).toEqual(['o1']);
    expect(await found(query('60||kg'), 'Observation')).toEqual(['o2']);
    expect(await found(query('lt70'), 'Observation')).toEqual(['o2']);
    expect(await found(query(`gt70|${UCUM}|g`), 'Observation')).toEqual([]);
  });

  it('uri matches the whole URI', async () => {
    expect(await found(`url=${encodeURIComponent(`http://example.org/ValueSet/${M}`)}`, 'ValueSet')).toEqual([
      'vs',
    ]);
    expect(await found(`url=${encodeURIComponent('http://example.org/ValueSet/')}`, 'ValueSet')).toEqual([]);
  });
});

describe('common parameters: _id, _lastUpdated, _tag, _profile', () => {
  it('_id takes a list', async () => {
    expect(await found(`_id=${id('p1')},${id('p3')}`)).toEqual(['p1', 'p3']);
  });

  it('_lastUpdated: ge includes the instant, gt excludes it', async () => {
    const { lastUpdated } = (await call(`${base}/Patient/${id('p1')}`)).body.meta;
    const at = (prefix: string) => `_id=${id('p1')}&_lastUpdated=${prefix}${encodeURIComponent(lastUpdated)}`;
    expect(await found(at('ge'))).toEqual(['p1']);
    expect(await found(at('le'))).toEqual(['p1']);
    expect(await found(at('gt'))).toEqual([]);
    expect(await found(at('lt'))).toEqual([]);
  });

  it('_tag and _profile', async () => {
    expect(await found(`_tag=${encodeURIComponent(`urn:test:tags|${M}`)}`)).toEqual(['p1']);
    expect(await found(`_profile=${encodeURIComponent(`http://example.org/profile/${M}`)}`)).toEqual(['p1']);
  });
});

describe('result parameters', () => {
  it('_sort orders ascending, or descending with a minus', async () => {
    const order = async (sort: string) =>
      matchIds((await call(`${base}/Patient?${ours}&birthdate:missing=false&_sort=${sort}`)).body).map((x) =>
        x.slice(M.length + 1),
      );
    expect(await order('birthdate')).toEqual(['p1', 'p4', 'p2']);
    expect(await order('-birthdate')).toEqual(['p2', 'p4', 'p1']);
    expect(await order('family')).toEqual(['p4', 'p1', 'p2']);
  });

  it('_total=none leaves total out; _summary=count gives the total and no entries', async () => {
    const none = (await call(`${base}/Patient?${ours}&_total=none`)).body;
    expect(none.total).toBeUndefined();
    expect(matchIds(none)).toHaveLength(4);
    const accurate = (await call(`${base}/Patient?${ours}&_total=accurate`)).body;
    expect(accurate.total).toBe(4);
    const count = (await call(`${base}/Patient?${ours}&_summary=count`)).body;
    expect(count.total).toBe(4);
    expect(count.entry ?? []).toEqual([]);
  });

  it('_summary=true keeps summary elements only and marks the entries SUBSETTED', async () => {
    const bundle = (await call(`${base}/Patient?_id=${id('p1')}&_summary=true`)).body;
    const resource = bundle.entry[0].resource;
    expect(resource.name).toBeDefined();
    expect(resource.generalPractitioner).toBeUndefined();
    expect(resource.meta.tag.map((t: Json) => t.code)).toContain('SUBSETTED');
  });

  it('_elements keeps the elements asked for (and mandatory ones), in search and read', async () => {
    const bundle = (await call(`${base}/Patient?_id=${id('p1')}&_elements=gender`)).body;
    const resource = bundle.entry[0].resource;
    expect(resource.gender).toBe('female');
    expect(resource.name).toBeUndefined();
    expect(resource.meta.tag.map((t: Json) => t.code)).toContain('SUBSETTED');
    const read = (await call(`${base}/Patient/${id('p1')}?_elements=birthDate`)).body;
    expect(read.birthDate).toBe('1980-03-14');
    expect(read.gender).toBeUndefined();
  });
});

describe('_include and _revinclude', () => {
  const entries = async (query: string, type: string) =>
    ((await call(`${base}/${type}?${query}`)).body.entry as Json[]).map(
      (e) => `${e.search.mode}:${String(e.resource.id).slice(M.length + 1)}`,
    );

  it('_include adds the referenced resources as include entries', async () => {
    expect(await entries(`_id=${id('o1')}&_include=Observation:subject`, 'Observation')).toEqual([
      'match:o1',
      'include:p1',
    ]);
  });

  it('_revinclude adds the resources that reference the matches', async () => {
    const found = await entries(`_id=${id('p1')}&_revinclude=Observation:subject`, 'Patient');
    expect(found[0]).toBe('match:p1');
    expect(found.slice(1).sort()).toEqual(['include:o1']);
  });

  it(':iterate follows includes of included resources', async () => {
    const query = `_id=${id('o1')}&_include=Observation:subject&_include:iterate=Patient:general-practitioner`;
    expect(await entries(query, 'Observation')).toEqual(['match:o1', 'include:p1', 'include:org']);
    const without = `_id=${id('o1')}&_include=Observation:subject&_include=Patient:general-practitioner`;
    expect(await entries(without, 'Observation')).toEqual(['match:o1', 'include:p1']);
  });

  it('_revinclude:iterate follows reverse references of included resources', async () => {
    const query = `_id=${id('org')}&_revinclude=Patient:general-practitioner&_revinclude:iterate=Observation:subject`;
    const found = await entries(query, 'Organization');
    expect(found[0]).toBe('match:org');
    expect(found.slice(1).sort()).toEqual(['include:o1', 'include:p1']);
  });
});

describe('the searchset and its paging', () => {
  it('has type, total, entries with an absolute fullUrl and search.mode=match, and a self link', async () => {
    const answer = await call(`${base}/Patient?${ours}`);
    const bundle = answer.body;
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('searchset');
    expect(bundle.total).toBe(4);
    for (const entry of bundle.entry as Json[]) {
      expect(entry.fullUrl).toBe(`${base}/Patient/${entry.resource.id}`);
      expect(entry.search.mode).toBe('match');
    }
    const self = bundle.link.find((l: Json) => l.relation === 'self').url as string;
    expect(self.startsWith(`${base}/Patient?`)).toBe(true);
    expect(new URL(self).searchParams.get('family')).toBe(M);
  });

  it('next and previous links are absolute and fetchable, and the pages hold every match once', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${base}/Patient?family=${M}&_count=3`;
    let pages = 0;
    let second: Json | undefined;
    while (url) {
      expect(url.startsWith(base)).toBe(true);
      const page: Json = (await call(url)).body;
      expect(page.total).toBe(4);
      seen.push(...matchIds(page));
      if (pages === 1) second = page;
      url = (page.link as Json[]).find((l) => l.relation === 'next')?.url;
      pages += 1;
    }
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(4);
    const previous = (second?.link as Json[]).find((l) => l.relation === 'previous')?.url as string;
    expect(previous.startsWith(base)).toBe(true);
    const first = (await call(previous)).body;
    expect(matchIds(first)).toEqual(seen.slice(0, 3));
  });

  it('_count=0 gives the total without entries', async () => {
    const bundle = (await call(`${base}/Patient?${ours}&_count=0`)).body;
    expect(bundle.total).toBe(4);
    expect(bundle.entry ?? []).toEqual([]);
    // A next link would point at the same empty page forever.
    expect((bundle.link as Json[]).map((l) => l.relation)).toEqual(['self']);
  });
});

describe('unknown parameters and POST _search', () => {
  it('an unknown parameter is ignored and absent from self; under handling=strict it is 400', async () => {
    const lenient = await call(`${base}/Patient?${ours}&nonsense=1`);
    expect(lenient.status).toBe(200);
    expect(matchIds(lenient.body)).toHaveLength(4);
    const self = lenient.body.link.find((l: Json) => l.relation === 'self').url as string;
    expect(new URL(self).searchParams.has('nonsense')).toBe(false);
    const strict = await call(`${base}/Patient?${ours}&nonsense=1`, {
      headers: { prefer: 'handling=strict' },
    });
    expect(strict.status).toBe(400);
    expect(strict.body.resourceType).toBe('OperationOutcome');
    expect(outcomeText(strict.body)).toMatch(/nonsense/);
  });

  it('a malformed value is 400 saying which parameter', async () => {
    const answer = await call(`${base}/Patient?birthdate=notadate`);
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toMatch(/birthdate/);
  });

  it('POST [type]/_search with a form body finds what GET finds, parameters in the URL too', async () => {
    const get = await found(`family=${M}smi&gender=male`);
    const form = await post(`${base}/Patient/_search`, `family=${M}smi&gender=male`, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(200);
    expect(form.body.type).toBe('searchset');
    expect(matchIds(form.body).map((x) => x.slice(M.length + 1))).toEqual(get);
    const mixed = await post(`${base}/Patient/_search?family=${M}smi`, 'gender=male', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(matchIds(mixed.body).map((x) => x.slice(M.length + 1))).toEqual(get);
  });

  it('a search across all types by _id finds resources of several types', async () => {
    const bundle = (await call(`${base}?_id=${id('p1')},${id('org')}`)).body;
    expect(bundle.type).toBe('searchset');
    expect(bundle.entry.map((e: Json) => e.resource.resourceType).sort()).toEqual([
      'Organization',
      'Patient',
    ]);
  });
});
