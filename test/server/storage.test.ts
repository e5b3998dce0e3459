/**
 * Both stores through one suite (versions, history, atomicity, copies, listeners, time), then what only
 * the journal does: reopening, torn and damaged lines, the lock, and a real kill -9.
 */
import { spawn, execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  JournalCorruptError,
  JournalLockedError,
  JournalStorage,
  MemoryStorage,
  openStorage,
  type MemoryStorageOptions,
} from '../../harness/server/storage/index.js';
import { VersionConflictError, type Change, type Storage } from '../../harness/server/storage/types.js';
import type { JsonObject } from '../../harness/json.js';

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'storage-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const opened: Storage[] = [];
afterEach(() => {
  for (const storage of opened.splice(0)) storage.close();
});

let journals = 0;
function journalPath(): string {
  return join(dir, `journal-${++journals}.jsonl`);
}

const implementations: Array<[string, (options?: MemoryStorageOptions) => Storage]> = [
  ['MemoryStorage', (options) => new MemoryStorage(options)],
  ['JournalStorage', (options) => new JournalStorage(journalPath(), options)],
];

/**
 * A version (or versions) as plain data: its fields, its text and its resource. A stored version reads
 * its text and resource on demand (getters), which equality would not look at.
 */
function plain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function patient(id: string, family = 'Doe'): JsonObject {
  return { resourceType: 'Patient', id, name: [{ family }] };
}

function write(type: string, id: string, resource: JsonObject, ifVersion?: string): Change {
  return { kind: 'write', type, id, resource, method: ifVersion === undefined ? 'POST' : 'PUT', ifVersion };
}

/** A clock that stands still unless moved, to show the store keeps time moving itself. */
function frozenClock(start = Date.parse('2025-01-01T00:00:00.000Z')): {
  now: () => number;
  set(ms: number): void;
} {
  let current = start;
  return { now: () => current, set: (ms) => (current = ms) };
}

describe.each(implementations)('%s', (_name, make) => {
  function open(options?: MemoryStorageOptions): Storage {
    const storage = make(options);
    opened.push(storage);
    return storage;
  }

  it('creates version 1 with id, versionId and lastUpdated set, other meta kept', () => {
    const storage = open();
    const resource = {
      resourceType: 'Patient',
      meta: { profile: ['http://x/p'], versionId: '9' },
      active: true,
    };
    const [made] = storage.commit([write('Patient', 'a', resource)]);
    expect(made).toMatchObject({ type: 'Patient', id: 'a', versionId: '1', method: 'POST' });
    expect(made!.lastUpdated).toMatch(ISO_INSTANT);
    expect(made!.resource).toEqual({
      resourceType: 'Patient',
      id: 'a',
      meta: { profile: ['http://x/p'], versionId: '1', lastUpdated: made!.lastUpdated },
      active: true,
    });
    expect(plain(storage.read('Patient', 'a'))).toEqual(plain(made));
    expect([...storage.ids('Patient')]).toEqual(['a']);
    expect([...storage.types()]).toEqual(['Patient']);
  });

  it('numbers updates 2, 3... and keeps every version for vread', () => {
    const storage = open();
    storage.commit([write('Patient', 'a', patient('a', 'One'))]);
    storage.commit([write('Patient', 'a', patient('a', 'Two'), '1')]);
    const [third] = storage.commit([write('Patient', 'a', patient('a', 'Three'))]);
    expect(third!.versionId).toBe('3');
    expect(storage.read('Patient', 'a')!.resource!.name).toEqual([{ family: 'Three' }]);
    expect(storage.vread('Patient', 'a', '1')!.resource!.name).toEqual([{ family: 'One' }]);
    expect(storage.vread('Patient', 'a', '2')!.resource!.meta.versionId).toBe('2');
    for (const missing of ['0', '4', '01', '1.0', 'x', ''])
      expect(storage.vread('Patient', 'a', missing)).toBeUndefined();
    expect(storage.vread('Patient', 'b', '1')).toBeUndefined();
    expect(storage.read('Patient', 'b')).toBeUndefined();
  });

  it('numbers several changes to one resource in one commit in order', () => {
    const storage = open();
    const made = storage.commit([
      write('Patient', 'a', patient('a')),
      write('Patient', 'a', patient('a'), '1'),
      { kind: 'delete', type: 'Patient', id: 'a', ifVersion: '2' },
    ]);
    expect(made.map((v) => [v.versionId, v.method])).toEqual([
      ['1', 'POST'],
      ['2', 'PUT'],
      ['3', 'DELETE'],
    ]);
    expect(new Set(made.map((v) => v.lastUpdated)).size).toBe(1);
  });

  it('deletes as a version without a resource; deleting what is gone makes no version; a re-create goes on numbering', () => {
    const storage = open();
    storage.commit([write('Patient', 'a', patient('a')), write('Patient', 'b', patient('b'))]);
    const [deleted] = storage.commit([{ kind: 'delete', type: 'Patient', id: 'a' }]);
    expect(deleted).toEqual({
      type: 'Patient',
      id: 'a',
      versionId: '2',
      lastUpdated: expect.stringMatching(ISO_INSTANT),
      method: 'DELETE',
    });
    expect(deleted).not.toHaveProperty('resource');
    expect(storage.read('Patient', 'a')).toEqual(deleted);
    expect([...storage.ids('Patient')]).toEqual(['b']);

    expect(storage.commit([{ kind: 'delete', type: 'Patient', id: 'a' }])).toEqual([]);
    expect(storage.commit([{ kind: 'delete', type: 'Patient', id: 'never' }])).toEqual([]);
    expect(storage.history({ type: 'Patient', id: 'a' })).toHaveLength(2);

    const [recreated] = storage.commit([write('Patient', 'a', patient('a'))]);
    expect(recreated!.versionId).toBe('3');
    expect([...storage.ids('Patient')].sort()).toEqual(['a', 'b']);

    storage.commit([{ kind: 'delete', type: 'Observation', id: 'x' }]);
    expect([...storage.types()]).toEqual(['Patient']);
  });

  it('keeps types whose resources are all deleted', () => {
    const storage = open();
    storage.commit([write('Patient', 'a', patient('a'))]);
    storage.commit([{ kind: 'delete', type: 'Patient', id: 'a' }]);
    expect([...storage.types()]).toEqual(['Patient']);
    expect([...storage.ids('Patient')]).toEqual([]);
    expect([...storage.ids('Observation')]).toEqual([]);
  });

  it('applies nothing when one ifVersion fails, and says which', () => {
    const storage = open();
    storage.commit([write('Patient', 'a', patient('a')), write('Patient', 'b', patient('b'))]);
    const heard: unknown[] = [];
    storage.onCommit((versions) => heard.push(versions));
    const attempt = (): unknown =>
      storage.commit([
        write('Patient', 'a', patient('a', 'Changed'), '1'),
        write('Patient', 'c', patient('c')),
        { kind: 'delete', type: 'Patient', id: 'b', ifVersion: '7' },
      ]);
    expect(attempt).toThrow(VersionConflictError);
    expect(attempt).toThrow(
      expect.objectContaining({ type: 'Patient', id: 'b', expected: '7', actual: '1' }),
    );
    expect(storage.read('Patient', 'a')!.versionId).toBe('1');
    expect(storage.read('Patient', 'c')).toBeUndefined();
    expect(storage.history({})).toHaveLength(2);
    expect(heard).toEqual([]);

    expect(() => storage.commit([write('Patient', 'new', patient('new'), '1')])).toThrow(
      expect.objectContaining({ expected: '1', actual: undefined }),
    );
    // Checked against the commit's own earlier changes: a's version is 2 after the first change.
    storage.commit([write('Patient', 'a', patient('a'), '1'), write('Patient', 'a', patient('a'), '2')]);
    expect(storage.read('Patient', 'a')!.versionId).toBe('3');
  });

  it('refuses a resource whose resourceType is not the change type, applying nothing', () => {
    const storage = open();
    expect(() =>
      storage.commit([write('Patient', 'a', patient('a')), write('Observation', 'b', patient('b'))]),
    ).toThrow(TypeError);
    expect(storage.read('Patient', 'a')).toBeUndefined();
  });

  it('never lets a caller reach a stored object', () => {
    const storage = open();
    const input = patient('a');
    const [made] = storage.commit([write('Patient', 'a', input)]);
    (input.name as JsonObject[])[0]!.family = 'Input';
    (made!.resource!.name as JsonObject[])[0]!.family = 'Made';
    made!.resource!.meta.versionId = '99';
    expect(input).not.toHaveProperty('meta');

    const read = storage.read('Patient', 'a')!;
    (read.resource!.name as JsonObject[])[0]!.family = 'Read';
    read.versionId = '42';
    const vread = storage.vread('Patient', 'a', '1')!;
    vread.resource!.id = 'other';
    storage.history({})[0]!.resource!.active = false;
    storage.history({ type: 'Patient' })[0]!.resource!.active = false;

    const again = storage.read('Patient', 'a')!;
    expect(again.versionId).toBe('1');
    expect(again.resource).toEqual({
      resourceType: 'Patient',
      id: 'a',
      meta: { versionId: '1', lastUpdated: again.lastUpdated },
      name: [{ family: 'Doe' }],
    });
  });

  it('keeps hostile keys as plain data', () => {
    const storage = open();
    const resource = JSON.parse(
      '{"resourceType":"Patient","__proto__":{"polluted":true},"meta":{"__proto__":{"x":1}}}',
    );
    storage.commit([write('Patient', 'a', resource)]);
    const stored = storage.read('Patient', 'a')!.resource!;
    expect(Object.prototype.hasOwnProperty.call(stored, '__proto__')).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(stored.meta, '__proto__')).toBe(true);
    expect(({} as JsonObject).polluted).toBeUndefined();
    expect((stored as JsonObject).polluted).toBeUndefined();
  });

  it('tells listeners after the commit is applied, with the versions made', () => {
    const storage = open();
    const heard: Array<{ ids: string[]; current: string | undefined }> = [];
    storage.onCommit((versions) => {
      heard.push({
        ids: versions.map((v) => `${v.id}/${v.versionId}`),
        current: storage.read('Patient', 'a')?.versionId,
      });
      if (versions[0]!.resource) versions[0]!.resource.active = 'changed by a listener';
    });
    const made = storage.commit([write('Patient', 'a', patient('a')), write('Patient', 'b', patient('b'))]);
    storage.commit([{ kind: 'delete', type: 'Patient', id: 'gone' }]);
    storage.commit([{ kind: 'delete', type: 'Patient', id: 'a' }]);
    expect(heard).toEqual([
      { ids: ['a/1', 'b/1'], current: '1' },
      { ids: ['a/2'], current: '2' },
    ]);
    expect(made[0]!.resource).not.toHaveProperty('active');
    expect(storage.vread('Patient', 'a', '1')!.resource).not.toHaveProperty('active');
  });

  it('keeps lastUpdated strictly increasing when the clock stands still or goes back', () => {
    const clock = frozenClock();
    const storage = open({ now: clock.now });
    const stamps = [1, 2, 3].map(
      (n) => storage.commit([write('Patient', `p${n}`, patient(`p${n}`))])[0]!.lastUpdated,
    );
    expect(stamps).toEqual([
      '2025-01-01T00:00:00.000Z',
      '2025-01-01T00:00:00.001Z',
      '2025-01-01T00:00:00.002Z',
    ]);
    clock.set(Date.parse('2024-06-01T00:00:00.000Z'));
    expect(storage.commit([write('Patient', 'p4', patient('p4'))])[0]!.lastUpdated).toBe(
      '2025-01-01T00:00:00.003Z',
    );
    clock.set(Date.parse('2025-02-01T00:00:00.000Z'));
    expect(storage.commit([write('Patient', 'p5', patient('p5'))])[0]!.lastUpdated).toBe(
      '2025-02-01T00:00:00.000Z',
    );
    // A commit that makes no version does not use up an instant.
    clock.set(Date.parse('2025-02-01T00:00:00.000Z'));
    storage.commit([{ kind: 'delete', type: 'Patient', id: 'none' }]);
    expect(storage.commit([write('Patient', 'p6', patient('p6'))])[0]!.lastUpdated).toBe(
      '2025-02-01T00:00:00.001Z',
    );
  });

  describe('history', () => {
    /** t0: Patient/a v1, Patient/b v1; t1: Observation/o v1; t2: Patient/a v2; t3: delete Patient/b; t4: Patient/a v3. */
    function seeded(): { storage: Storage; at: (n: number) => string } {
      const clock = frozenClock(Date.parse('2025-03-01T10:00:00.000Z'));
      const storage = open({ now: clock.now });
      const at = (n: number): string =>
        new Date(Date.parse('2025-03-01T10:00:00.000Z') + n * 1000).toISOString();
      const step = (n: number, changes: Change[]): void => {
        clock.set(Date.parse(at(n)));
        storage.commit(changes);
      };
      step(0, [write('Patient', 'a', patient('a')), write('Patient', 'b', patient('b'))]);
      step(1, [write('Observation', 'o', { resourceType: 'Observation', status: 'final' })]);
      step(2, [write('Patient', 'a', patient('a', 'Two'))]);
      step(3, [{ kind: 'delete', type: 'Patient', id: 'b' }]);
      step(4, [write('Patient', 'a', patient('a', 'Three'))]);
      return { storage, at };
    }
    const keys = (versions: Array<{ type: string; id: string; versionId: string }>): string[] =>
      versions.map((v) => `${v.type}/${v.id}/${v.versionId}`);

    it('lists an instance, a type and the system newest first', () => {
      const { storage } = seeded();
      expect(keys(storage.history({ type: 'Patient', id: 'a' }))).toEqual([
        'Patient/a/3',
        'Patient/a/2',
        'Patient/a/1',
      ]);
      expect(keys(storage.history({ type: 'Patient' }))).toEqual([
        'Patient/a/3',
        'Patient/b/2',
        'Patient/a/2',
        'Patient/b/1',
        'Patient/a/1',
      ]);
      expect(keys(storage.history({}))).toEqual([
        'Patient/a/3',
        'Patient/b/2',
        'Patient/a/2',
        'Observation/o/1',
        'Patient/b/1',
        'Patient/a/1',
      ]);
      expect(storage.history({ type: 'Patient', id: 'b' })[0]).toMatchObject({ method: 'DELETE' });
      expect(storage.history({ type: 'Encounter' })).toEqual([]);
      expect(storage.history({ type: 'Patient', id: 'zz' })).toEqual([]);
    });

    it('keeps only versions after since (exclusive)', () => {
      const { storage, at } = seeded();
      expect(keys(storage.history({ since: at(2) }))).toEqual(['Patient/a/3', 'Patient/b/2']);
      expect(keys(storage.history({ type: 'Patient', since: at(1) }))).toEqual([
        'Patient/a/3',
        'Patient/b/2',
        'Patient/a/2',
      ]);
      expect(keys(storage.history({ type: 'Patient', id: 'a', since: at(3) }))).toEqual(['Patient/a/3']);
      expect(storage.history({ since: at(4) })).toEqual([]);
      expect(storage.history({ since: '2025-03-01T12:00:00+02:00' })).toHaveLength(4); // = at(0), excluded
    });

    it('gives the version current at an instant, per resource, deletes included', () => {
      const { storage, at } = seeded();
      expect(keys(storage.history({ at: at(2) }))).toEqual(['Patient/a/2', 'Observation/o/1', 'Patient/b/1']);
      expect(keys(storage.history({ at: '2025-03-01T10:00:03.500Z' }))).toEqual([
        'Patient/b/2',
        'Patient/a/2',
        'Observation/o/1',
      ]);
      expect(keys(storage.history({ type: 'Patient', at: at(0) }))).toEqual(['Patient/b/1', 'Patient/a/1']);
      expect(keys(storage.history({ type: 'Patient', id: 'a', at: at(3) }))).toEqual(['Patient/a/2']);
      expect(storage.history({ at: '2025-03-01T09:59:59.999Z' })).toEqual([]);
      expect(keys(storage.history({ at: at(4), since: at(2) }))).toEqual(['Patient/a/3', 'Patient/b/2']);
    });

    it('refuses unreadable instants and an id without a type', () => {
      const { storage } = seeded();
      expect(() => storage.history({ since: 'yesterday' })).toThrow(RangeError);
      expect(() => storage.history({ at: '' })).toThrow(RangeError);
      expect(() => storage.history({ id: 'a' })).toThrow(RangeError);
    });
  });
});

describe('openStorage', () => {
  it('keeps resources in memory without a db, in a journal with one', () => {
    const memory = openStorage({});
    const journal = openStorage({ db: journalPath() });
    opened.push(memory, journal);
    expect(memory).toBeInstanceOf(MemoryStorage);
    expect(journal).toBeInstanceOf(JournalStorage);
  });
});

describe('JournalStorage on disk', () => {
  function openJournal(path: string, options?: MemoryStorageOptions): JournalStorage {
    const storage = new JournalStorage(path, options);
    opened.push(storage);
    return storage;
  }

  function seed(path: string): JournalStorage {
    const storage = new JournalStorage(path);
    storage.commit([write('Patient', 'a', patient('a')), write('Patient', 'b', patient('b'))]);
    storage.commit([write('Patient', 'a', patient('a', 'Two'), '1')]);
    storage.commit([{ kind: 'delete', type: 'Patient', id: 'b' }]);
    storage.commit([write('Observation', 'o', { resourceType: 'Observation', status: 'final' })]);
    return storage;
  }

  it('restores versions, deletes, instants and history on reopening', () => {
    const path = journalPath();
    const first = seed(path);
    const before = {
      history: first.history({}),
      a: first.read('Patient', 'a'),
      b: first.read('Patient', 'b'),
      ids: [...first.ids('Patient')],
      types: [...first.types()],
    };
    first.close();

    // A clock behind the journal: new versions must still come after the recovered ones.
    const reopened = openJournal(path, { now: () => Date.parse('2000-01-01T00:00:00Z') });
    expect(reopened.recovery).toEqual({ commits: 4, versions: 5, droppedBytes: 0 });
    expect(plain(reopened.history({}))).toEqual(plain(before.history));
    expect(plain(reopened.read('Patient', 'a'))).toEqual(plain(before.a));
    expect(plain(reopened.read('Patient', 'b'))).toEqual(plain(before.b));
    expect(reopened.vread('Patient', 'b', '1')!.resource!.id).toBe('b');
    expect([...reopened.ids('Patient')]).toEqual(before.ids);
    expect([...reopened.types()]).toEqual(before.types);

    const [next] = reopened.commit([write('Patient', 'b', patient('b'))]);
    expect(next!.versionId).toBe('3');
    expect(Date.parse(next!.lastUpdated)).toBeGreaterThan(Date.parse(before.history[0]!.lastUpdated));
    expect(() => reopened.commit([write('Patient', 'a', patient('a'), '1')])).toThrow(VersionConflictError);
  });

  it('replays each resource as the text it was written as, whatever its strings and nesting hold', () => {
    const path = journalPath();
    const tricky: JsonObject = {
      resourceType: 'Bundle',
      id: 'tricky',
      type: 'collection',
      entry: [
        { resource: { resourceType: 'Patient', id: 'x', name: [{ family: 'O"Brien} ]{ \\ "resource":' }] } },
      ],
    };
    const first = openJournal(path);
    first.commit([write('Bundle', 'tricky', tricky), write('Patient', 'plain', patient('plain'))]);
    first.commit([
      { kind: 'delete', type: 'Patient', id: 'plain' },
      write('Patient', 'after', patient('after')),
    ]);
    const written = first.read('Bundle', 'tricky')!;
    first.close();
    const reopened = openJournal(path);
    expect(plain(reopened.read('Bundle', 'tricky'))).toEqual(plain(written));
    expect(reopened.read('Bundle', 'tricky')!.resource).toMatchObject(tricky);
    expect(reopened.read('Patient', 'plain')!.resource).toBeUndefined();
    expect(reopened.read('Patient', 'after')!.resource!.name).toEqual([{ family: 'Doe' }]);
    reopened.close();

    // A line written by hand (spaces, keys in another order) replays too, each resource as its text.
    const byHand = journalPath();
    const stamp = { versionId: '1', lastUpdated: '2025-01-01T00:00:00.000Z' };
    writeFileSync(
      byHand,
      `{ "versions" : [ { "resource" : { "resourceType" : "Patient", "id" : "h", "meta" : ${JSON.stringify(stamp)} },` +
        ` "method" : "PUT", "type" : "Patient", "id" : "h", "versionId" : "1", "lastUpdated" : "${stamp.lastUpdated}" } ] }\n`,
    );
    const handWritten = openJournal(byHand);
    expect(handWritten.read('Patient', 'h')!.resource).toEqual({
      resourceType: 'Patient',
      id: 'h',
      meta: stamp,
    });
    expect(handWritten.read('Patient', 'h')!.json).toBe(
      `{ "resourceType" : "Patient", "id" : "h", "meta" : ${JSON.stringify(stamp)} }`,
    );
    handWritten.close();
  });

  it('replays a journal larger than what it reads at a time, with a line longer than that', () => {
    const path = journalPath();
    const first = openJournal(path);
    const large = 'x'.repeat(9 << 20);
    for (let i = 0; i < 3_000; i++) first.commit([write('Patient', `p${i}`, patient(`p${i}`, `F${i}`))]);
    first.commit([
      write('Patient', 'large', { resourceType: 'Patient', id: 'large', name: [{ text: large }] }),
    ]);
    first.commit([write('Patient', 'last', patient('last'))]);
    first.close();
    const reopened = openJournal(path);
    expect(reopened.recovery).toEqual({ commits: 3_002, versions: 3_002, droppedBytes: 0 });
    expect(reopened.read('Patient', 'p2999')!.resource!.name).toEqual([{ family: 'F2999' }]);
    expect((reopened.read('Patient', 'large')!.resource!.name as { text: string }[])[0]!.text).toBe(large);
    expect(reopened.read('Patient', 'last')!.versionId).toBe('1');
    reopened.close();
  });

  it('drops a torn last line and cuts it off the file', () => {
    const path = journalPath();
    seed(path).close();
    const whole = readFileSync(path);
    const torn = '{"versions":[{"type":"Patient","id":"c","versionId":"1","lastUp';
    appendFileSync(path, torn);
    const reopened = openJournal(path);
    expect(reopened.recovery).toMatchObject({ commits: 4, droppedBytes: torn.length });
    expect(reopened.read('Patient', 'c')).toBeUndefined();
    expect(readFileSync(path)).toEqual(whole);
    reopened.commit([write('Patient', 'c', patient('c'))]);
    reopened.close();
    expect(openJournal(path).read('Patient', 'c')!.versionId).toBe('1');
  });

  it('drops an unreadable last line even when it ends with a newline (a flush cut short)', () => {
    const path = journalPath();
    seed(path).close();
    appendFileSync(path, '\0\0\0\0\n');
    expect(openJournal(path).recovery).toMatchObject({ commits: 4, droppedBytes: 5 });
  });

  it('refuses to open a journal damaged before its last line, naming the line', () => {
    const path = journalPath();
    seed(path).close();
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[1] = lines[1]!.slice(0, 20) + 'x' + lines[1]!.slice(21);
    writeFileSync(path, lines.join('\n'));
    expect(() => new JournalStorage(path)).toThrow(JournalCorruptError);
    expect(() => new JournalStorage(path)).toThrow(/line 2 of the journal is damaged/);
    // The failed opening let go of the lock and left the file alone.
    expect(existsSync(`${path}.lock`)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe(lines.join('\n'));
  });

  it('refuses lines that parse but do not follow on (a version repeated)', () => {
    const path = journalPath();
    seed(path).close();
    const lines = readFileSync(path, 'utf8').split('\n');
    writeFileSync(path, [lines[0], lines[0], lines[1], ''].join('\n'));
    expect(() => new JournalStorage(path)).toThrow(/line 2 .*Patient\/a: version 1 follows 1/);
  });

  it('holds a lock: a second opening is refused while the first is open; a dead owner’s lock is taken over', () => {
    const path = journalPath();
    const first = openJournal(path);
    expect(() => new JournalStorage(path)).toThrow(JournalLockedError);
    expect(readFileSync(`${path}.lock`, 'utf8').trim().split(' ')[0]).toBe(String(process.pid));
    first.close();
    expect(existsSync(`${path}.lock`)).toBe(false);

    writeFileSync(`${path}.lock`, '2147483646\n'); // no such process
    const second = openJournal(path);
    expect(readFileSync(`${path}.lock`, 'utf8').trim().split(' ')[0]).toBe(String(process.pid));
    second.close();
    expect(() => second.commit([write('Patient', 'a', patient('a'))])).toThrow(/closed/);
  });

  describe('killed with SIGKILL while writing', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const built = join(root, 'dist/harness/server/storage/journal.js');

    beforeAll(() => {
      if (!existsSync(built))
        execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'ignore' });
    });

    it('keeps every write it acknowledged', async () => {
      const path = journalPath();
      const script = join(dir, 'writer.mjs');
      writeFileSync(
        script,
        `import { JournalStorage } from ${JSON.stringify(pathToFileURL(built).href)};
const storage = new JournalStorage(process.argv[2]);
for (let i = 0; ; i++) {
  const id = 'p' + (i % 40);
  const change = i % 7 === 6
    ? { kind: 'delete', type: 'Patient', id }
    : { kind: 'write', type: 'Patient', id, method: 'PUT', resource: { resourceType: 'Patient', active: i % 2 === 0 } };
  for (const v of storage.commit([change])) process.stdout.write(v.id + ' ' + v.versionId + ' ' + v.method + '\\n');
}
`,
      );
      const child = spawn(process.execPath, [script, path], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      // 'close' rather than 'exit': after the last of its output has been read.
      const closed = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('close', (_code, signal) => resolve(signal)),
      );
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', () => reject(new Error(`the writer stopped early: ${err}`)));
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGKILL');
      expect(await closed).toBe('SIGKILL');

      // Only whole lines were acknowledged; a line cut short by the kill is not.
      const acknowledged = out.slice(0, out.lastIndexOf('\n')).split('\n');
      expect(acknowledged.length).toBeGreaterThan(10);
      const storage = openJournal(path);
      for (const line of acknowledged) {
        const [id, versionId, method] = line.split(' ') as [string, string, string];
        const version = storage.vread('Patient', id, versionId);
        expect(version, line).toBeDefined();
        expect(version!.method).toBe(method);
        if (method !== 'DELETE') expect(version!.resource!.meta.versionId).toBe(versionId);
      }
      // At most the one commit in flight when it died is on disk without having been acknowledged.
      expect(storage.recovery.versions - acknowledged.length).toBeGreaterThanOrEqual(0);
      expect(storage.recovery.versions - acknowledged.length).toBeLessThanOrEqual(1);
    });
  });
});
