/** The engine as a whole: parameters(), _sort, system-wide search, the IG's parameters, includes, unknown and bad parameters, index upkeep. */
import { describe, expect, it } from 'vitest';
import { isSearchError, type SearchResult } from '../../harness/server/search/index.js';
import { MemoryStorage } from '../../harness/server/storage/index.js';
import { SearchEngine } from '../../harness/server/search/index.js';
import { searchFixture, sharedRegistry } from '../support/search-fixture.js';

const result = (value: ReturnType<ReturnType<typeof searchFixture>['run']>): SearchResult => {
  if (isSearchError(value)) throw new Error(value.error);
  return value;
};

describe('parameters()', () => {
  it('lists core, common and IG parameters for a type', () => {
    const f = searchFixture();
    const codes = f.engine.parameters('Organization').map((p) => p.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'name',
        'identifier',
        'partof',
        '_id',
        '_lastUpdated',
        '_tag',
        '_profile',
        '_security',
        '_source',
        'resourceType',
        'code',
      ]),
    );
    const physicalType = f.engine.parameters('Location').find((p) => p.code === 'physicalType');
    expect(physicalType).toMatchObject({ type: 'token', expression: 'Location.physicalType' });
  });
});

describe('order and _sort', () => {
  it('defaults to lastUpdated descending, then id', () => {
    const f = searchFixture();
    f.put({ resourceType: 'Patient', id: 'b' }, { resourceType: 'Patient', id: 'a' });
    f.put({ resourceType: 'Patient', id: 'c' });
    expect(f.ids('Patient', '')).toEqual(['c', 'a', 'b']);
  });
  it('sorts by one or several keys, descending with -', () => {
    const f = searchFixture();
    f.put(
      { resourceType: 'Patient', id: 'p1', name: [{ family: 'Zulu' }], birthDate: '1990', gender: 'male' },
      { resourceType: 'Patient', id: 'p2', name: [{ family: 'alpha' }], birthDate: '1980', gender: 'female' },
      { resourceType: 'Patient', id: 'p3', name: [{ family: 'Mike' }], birthDate: '1990', gender: 'female' },
      { resourceType: 'Patient', id: 'p4', gender: 'other' },
    );
    expect(f.ids('Patient', '_sort=family')).toEqual(['p2', 'p3', 'p1', 'p4']);
    expect(f.ids('Patient', '_sort=-family')).toEqual(['p1', 'p3', 'p2', 'p4']);
    expect(f.ids('Patient', '_sort=-birthdate,family')).toEqual(['p3', 'p1', 'p2', 'p4']);
    expect(f.ids('Patient', '_sort=gender,-_id')).toEqual(['p3', 'p2', 'p1', 'p4']);
    const sorted = result(f.run('Patient', '_sort=family,nope'));
    expect(sorted.used).toEqual([['_sort', 'family']]);
    expect(sorted.unknown).toEqual([{ name: '_sort', reason: 'unknown sort parameter nope' }]);
  });
  it('returns a window of the ordered matches with the total', () => {
    const f = searchFixture();
    for (let i = 0; i < 5; i++) f.put({ resourceType: 'Patient', id: `p${i}`, gender: 'female' });
    const page = result(f.engine.search('Patient', [['gender', 'female']], { offset: 1, count: 2 }));
    expect(page.matches.map((m) => m.id)).toEqual(['p3', 'p2']);
    expect(page.total).toBe(5);
  });
});

describe('system-wide search', () => {
  it('searches every type with _id, _lastUpdated, _tag, _profile and _type', () => {
    const f = searchFixture();
    f.put(
      {
        resourceType: 'Patient',
        id: 'x',
        meta: { tag: [{ system: 'urn:t', code: 'demo' }], profile: ['http://p/1'] },
      },
      { resourceType: 'Organization', id: 'x', meta: { tag: [{ system: 'urn:t', code: 'demo' }] } },
      { resourceType: 'Location', id: 'y' },
    );
    expect(f.ids(undefined, '_id=x').sort()).toEqual(['Organization/x', 'Patient/x']);
    expect(f.ids(undefined, '_tag=urn:t|demo&_type=Organization')).toEqual(['Organization/x']);
    expect(f.ids(undefined, '_profile=http://p/1')).toEqual(['Patient/x']);
    expect(f.ids(undefined, '_lastUpdated=gt2000').length).toBe(3);
    const unknown = result(f.run(undefined, 'name=x&_id=y'));
    expect(unknown.unknown.map((u) => u.name)).toEqual(['name']);
    expect(unknown.matches).toEqual([{ type: 'Location', id: 'y' }]);
  });
});

describe("the IG's parameters", () => {
  it('resourceType, code, physicalType and refDate work; claimDateFrom is reported', () => {
    const f = searchFixture();
    f.put(
      {
        resourceType: 'Organization',
        id: 'hf',
        type: [{ coding: [{ system: 'http://example.org/org-type', code: 'bus' }] }],
        identifier: [{ system: 'urn:code', value: 'HF-1' }],
      },
      { resourceType: 'Location', id: 'loc', physicalType: { coding: [{ code: 'si' }] } },
      { resourceType: 'Patient', id: 'p' },
    );
    expect(f.ids('Organization', 'resourceType=bus')).toEqual(['hf']);
    expect(f.ids('Organization', 'code=HF-1')).toEqual(['hf']);
    expect(f.ids('Location', 'physicalType=si')).toEqual(['loc']);
    expect(f.ids('Patient', 'refDate=ge2000-01-01')).toEqual(['p']);
    const special = result(f.run('Patient', 'claimDateFrom=2024-01-01'));
    expect(special.unknown).toEqual([
      { name: 'claimDateFrom', reason: 'special parameters are not supported' },
    ]);
  });
});

describe('_include and _revinclude', () => {
  const world = () => {
    const f = searchFixture();
    f.put(
      { resourceType: 'Organization', id: 'district' },
      { resourceType: 'Organization', id: 'org', partOf: { reference: 'Organization/district' } },
      { resourceType: 'Location', id: 'region' },
      {
        resourceType: 'Location',
        id: 'site',
        managingOrganization: { reference: 'Organization/org' },
        partOf: { reference: 'Location/region' },
      },
      { resourceType: 'Location', id: 'room', partOf: { reference: 'Location/site' } },
      {
        resourceType: 'Location',
        id: 'gone-ref',
        managingOrganization: { reference: 'Organization/missing' },
      },
    );
    return f;
  };
  it('includes what matches reference, and what refers to the matches', () => {
    const f = world();
    const key = (t: string, id: string) => ({ type: t, id });
    expect(f.engine.includes([key('Location', 'site')], ['Location:organization'], [])).toEqual([
      key('Organization', 'org'),
    ]);
    expect(f.engine.includes([key('Organization', 'org')], [], ['Location:organization'])).toEqual([
      key('Location', 'site'),
    ]);
    expect(f.engine.includes([key('Location', 'gone-ref')], ['Location:organization'], [])).toEqual([]);
    expect(f.engine.includes([key('Location', 'site')], ['Location:*'], []).length).toBe(2);
    expect(f.engine.includes([key('Location', 'site')], ['Location:organization:Location'], [])).toEqual([]);
  });
  it(':iterate follows what was included', () => {
    const f = world();
    const room = [{ type: 'Location', id: 'room' }];
    expect(f.engine.includes(room, ['Location:partof'], [])).toEqual([{ type: 'Location', id: 'site' }]);
    expect(
      f.engine.includes(
        room,
        ['iterate:Location:partof', 'iterate:Location:organization', 'iterate:Organization:partof'],
        [],
      ),
    ).toEqual([
      { type: 'Location', id: 'site' },
      { type: 'Location', id: 'region' },
      { type: 'Organization', id: 'org' },
      { type: 'Organization', id: 'district' },
    ]);
    expect(
      f.engine
        .includes([{ type: 'Location', id: 'region' }], [], ['iterate:Location:partof'])
        .map((k) => k.id),
    ).toEqual(['site', 'room']);
  });
});

describe('unknown parameters and bad values', () => {
  it('lists unknown names and modifiers, leaves them out of used, ignores the handler parameters', () => {
    const f = searchFixture();
    f.put({ resourceType: 'Patient', id: 'a', gender: 'female' });
    const r = result(
      f.run(
        'Patient',
        'gender=female&foo=1&gender:in=http://vs&family:nope=x&_count=2&_include=Patient:organization&_summary=true&_has:Observation:subject:code=1&name.x=1',
      ),
    );
    expect(r.matches).toEqual([{ type: 'Patient', id: 'a' }]);
    expect(r.used).toEqual([['gender', 'female']]);
    expect(r.unknown.map((u) => u.name)).toEqual([
      'foo',
      'gender:in',
      'family:nope',
      '_has:Observation:subject:code',
      'name.x',
    ]);
  });
  it('answers malformed values with an error', () => {
    const f = searchFixture();
    expect(f.run('Patient', 'birthdate=1990-13-01')).toEqual({
      error: "'1990-13-01' is not a valid date search value",
      parameter: 'birthdate',
    });
    expect(isSearchError(f.run('Patient', 'birthdate=xx1990'))).toBe(true);
    expect(isSearchError(f.run('RiskAssessment', 'probability=abc'))).toBe(true);
    expect(isSearchError(f.run('Observation', 'value-quantity=big|s|c'))).toBe(true);
    expect(isSearchError(f.run('Patient', 'gender:missing=maybe'))).toBe(true);
    expect(isSearchError(f.run('Observation', 'subject:Patient.birthdate=bad'))).toBe(true);
  });
});

describe('index upkeep', () => {
  it('follows updates and deletes', () => {
    const f = searchFixture();
    f.put({ resourceType: 'Patient', id: 'a', gender: 'female', name: [{ family: 'Old' }] });
    expect(f.ids('Patient', 'family=old')).toEqual(['a']);
    f.put({ resourceType: 'Patient', id: 'a', gender: 'male', name: [{ family: 'New' }] });
    expect(f.ids('Patient', 'family=old')).toEqual([]);
    expect(f.ids('Patient', 'family=new')).toEqual(['a']);
    expect(f.ids('Patient', 'gender=female')).toEqual([]);
    f.remove('Patient', 'a');
    expect(f.ids('Patient', 'family=new')).toEqual([]);
    expect(f.ids('Patient', '')).toEqual([]);
    expect(f.ids('Patient', 'gender:missing=true')).toEqual([]);
  });
  it('indexes what the storage already holds', () => {
    const storage = new MemoryStorage();
    storage.commit([
      {
        kind: 'write',
        type: 'Patient',
        id: 'pre',
        resource: { resourceType: 'Patient', gender: 'other' },
        method: 'PUT',
      },
    ]);
    const engine = new SearchEngine(sharedRegistry(), storage);
    expect(result(engine.search('Patient', [['gender', 'other']])).matches).toEqual([
      { type: 'Patient', id: 'pre' },
    ]);
  });
  it('keeps the default order right across updates of many resources', () => {
    const f = searchFixture();
    for (let i = 0; i < 2500; i++) f.put({ resourceType: 'Patient', id: `p${i}`, gender: 'female' });
    f.put({ resourceType: 'Patient', id: 'p7', gender: 'female' });
    f.remove('Patient', 'p2499');
    const r = result(f.engine.search('Patient', [['gender', 'female']], { offset: 0, count: 3 }));
    expect(r.matches.map((m) => m.id)).toEqual(['p7', 'p2498', 'p2497']);
    expect(r.total).toBe(2499);
  });
});
