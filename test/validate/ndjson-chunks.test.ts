/**
 * NDJSON chunks: whatever the sizes of the reads and of the buffers, the lines that come out of the
 * chunks are exactly the lines of the input, with their line numbers, and a chunk's buffer can be
 * handed to another thread and back.
 */
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  ChunkBuffers,
  chunkNdjson,
  linesOfChunk,
  readIntoFromPieces,
  type NdjsonChunk,
} from '../../harness/validate/ndjson-chunks.js';
import { WHOLE, type Shard } from '../../harness/validate/shard.js';

const encoder = new TextEncoder();

/** The input cut into pieces of the given sizes, repeated (a stream's reads). */
async function* piecesOf(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] as number;
    yield bytes.slice(at, at + size);
    at += size;
  }
}

async function chunksOf(
  text: string,
  pieceSizes: number[],
  bufferSize: number,
  eager = false,
): Promise<NdjsonChunk[]> {
  const chunks: NdjsonChunk[] = [];
  const { read, moreSoon } = readIntoFromPieces(piecesOf(encoder.encode(text), pieceSizes));
  // Each chunk copied: the buffers are given back and reused, as a run does.
  const buffers = new ChunkBuffers(bufferSize, 2);
  for await (const chunk of chunkNdjson(
    read,
    'in.ndjson',
    buffers,
    eager ? { moreSoon: () => moreSoon(5) } : {},
  )) {
    chunks.push({ ...chunk, data: chunk.data.slice() });
    buffers.give(chunk.data.buffer as ArrayBuffer);
  }
  return chunks;
}

function linesOf(chunks: NdjsonChunk[], shard: Shard = WHOLE): [number, string][] {
  return chunks.flatMap((chunk) =>
    [...linesOfChunk(chunk, shard)].map((l) => [l.index, l.text] as [number, string]),
  );
}

/** What the lines are by definition: split at LF, CR of CRLF dropped, lines of JSON white space skipped. */
function expectedLines(text: string, shard: Shard = WHOLE): [number, string][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body
    .split('\n')
    .map((line, i): [number, string] => [i + 1, line.endsWith('\r') ? line.slice(0, -1) : line])
    .filter(([index, line]) => /[^ \t\r\n]/.test(line) && (index - 1) % shard.count === shard.index - 1);
}

describe('chunkNdjson and linesOfChunk', () => {
  it('reassemble lines cut across reads and chunks, with their line numbers', async () => {
    const text = '{"a":1}\n\n{"b":"two"}\r\n   \n{"c":[1,2,3]}\n{"d":"no break at the end"}';
    for (const pieceSizes of [[1], [3, 7], [1000]])
      for (const bufferSize of [4, 16, 64, 4096]) {
        const chunks = await chunksOf(text, pieceSizes, bufferSize);
        expect(linesOf(chunks), `pieces ${pieceSizes.join(',')}, buffer ${bufferSize}`).toEqual(
          expectedLines(text),
        );
      }
  });

  it('every chunk but the last ends at a line break, and numbers its first line', async () => {
    const text = Array.from({ length: 200 }, (_, i) => `{"n":${i}}`).join('\n');
    const chunks = await chunksOf(text, [37], 128);
    expect(chunks.length).toBeGreaterThan(10);
    let line = 1;
    for (const [i, chunk] of chunks.entries()) {
      expect(chunk.firstLine).toBe(line);
      if (i < chunks.length - 1) expect(chunk.data.at(-1)).toBe(0x0a);
      line += chunk.data.filter((byte) => byte === 0x0a).length;
    }
  });

  it('a line longer than a buffer makes a chunk of its own', async () => {
    const long = `{"text":"${'x'.repeat(10_000)}"}`;
    const text = `{"a":1}\n${long}\n{"b":2}\n`;
    const chunks = await chunksOf(text, [100], 64);
    expect(linesOf(chunks)).toEqual(expectedLines(text));
    expect(chunks.some((c) => c.data.length > 10_000)).toBe(true);
  });

  it('keeps multi-byte characters whole when a read cuts them', async () => {
    const text = '{"name":"Ŝaŭlo 北京 🙂"}\n{"name":"é"}\n';
    const chunks = await chunksOf(text, [1, 2], 8);
    expect(linesOf(chunks)).toEqual(expectedLines(text));
  });

  it('drops a byte order mark before the first line only', async () => {
    const text = '\ufeff{"a":1}\n{"b":2}\n';
    expect(linesOf(await chunksOf(text, [2], 8))).toEqual([
      [1, '{"a":1}'],
      [2, '{"b":2}'],
    ]);
  });

  it('deals lines to shards by line number: together the shards hold every line once', async () => {
    const text = Array.from({ length: 50 }, (_, i) => (i % 7 === 3 ? '' : `{"n":${i}}`)).join('\n');
    const chunks = await chunksOf(text, [13], 32);
    const all = [1, 2, 3].flatMap((index) => {
      const shard = { index, count: 3 };
      const lines = linesOf(chunks, shard);
      expect(lines).toEqual(expectedLines(text, shard));
      return lines;
    });
    expect(all.map(([index]) => index).sort((a, b) => a - b)).toEqual(expectedLines(text).map(([i]) => i));
  });

  it('agrees with splitting the whole text, on random inputs', async () => {
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    const alphabet = ['{', '}', '"', 'a', 'é', ' ', '\n', '\n', '\r\n', '🙂'];
    for (let round = 0; round < 200; round++) {
      const text = Array.from({ length: random(300) }, () => alphabet[random(alphabet.length)]).join('');
      const eager = round % 2 === 1;
      const chunks = await chunksOf(text, [1 + random(50), 1 + random(5)], 1 + random(64), eager);
      expect(linesOf(chunks), JSON.stringify(text)).toEqual(expectedLines(text));
    }
  });

  it('a line of other white space (no-break space) is not blank: it is validated, and fails as JSON', async () => {
    const text = '{"a":1}\n\u00a0\n \t\n{"b":2}\u2028\n';
    expect(linesOf(await chunksOf(text, [4], 16))).toEqual([
      [1, '{"a":1}'],
      [2, '\u00a0'],
      [4, '{"b":2}\u2028'],
    ]);
  });

  it('a byte order mark inside the input is kept (only the one opening it is dropped)', async () => {
    const text = '\ufeff{"a":1}\n\ufeff{"b":2}\n';
    expect(linesOf(await chunksOf(text, [100], 64))).toEqual([
      [1, '{"a":1}'],
      [2, '\ufeff{"b":2}'],
    ]);
  });

  it('a read that fails still gives the whole lines read before it, then the failure', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield encoder.encode('{"a":1}\n{"b":2}\n{"c"');
      throw new Error('the disk went away');
    }
    const seen: string[] = [];
    const reading = (async () => {
      for await (const chunk of chunkNdjson(readIntoFromPieces(failing()).read, 'x', new ChunkBuffers(1024)))
        seen.push(...[...linesOfChunk(chunk, WHOLE)].map((l) => l.text));
    })();
    await expect(reading).rejects.toThrow('the disk went away');
    expect(seen).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('a stream that pauses (stdin): the whole lines it has sent go out meanwhile', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    async function* slowStream(): AsyncGenerator<Uint8Array> {
      yield encoder.encode('{"a":1}\n{"b"');
      await released;
      yield encoder.encode(':2}\n');
    }
    const reader = readIntoFromPieces(slowStream());
    const chunks = chunkNdjson(reader.read, 'x', new ChunkBuffers(1024), {
      moreSoon: () => reader.moreSoon(20),
    });
    const first = await chunks.next();
    expect(first.done).toBe(false);
    expect([...linesOfChunk(first.value as NdjsonChunk, WHOLE)].map((l) => [l.index, l.text])).toEqual([
      [1, '{"a":1}'],
    ]);
    release();
    const second = await chunks.next();
    expect([...linesOfChunk(second.value as NdjsonChunk, WHOLE)].map((l) => [l.index, l.text])).toEqual([
      [2, '{"b":2}'],
    ]);
    expect((await chunks.next()).done).toBe(true);
  });

  it('an empty input has no chunks', async () => {
    expect(await chunksOf('', [10], 16)).toEqual([]);
  });
});

describe('ChunkBuffers', () => {
  it('hands out a buffer given back, and keeps only as many as it was told', () => {
    const buffers = new ChunkBuffers(16, 1);
    const first = buffers.take(10);
    expect(first.length).toBe(16);
    buffers.give(first.buffer as ArrayBuffer);
    buffers.give(new ArrayBuffer(16));
    expect(buffers.take(16).buffer).toBe(first.buffer);
    expect(buffers.take(16).buffer).not.toBe(first.buffer);
  });

  it('a request larger than its size gets a buffer of its own, never kept', () => {
    const buffers = new ChunkBuffers(16);
    const large = buffers.take(100);
    expect(large.length).toBe(100);
    buffers.give(large.buffer as ArrayBuffer);
    expect(buffers.take(16).buffer).not.toBe(large.buffer);
  });

  it('a chunk can be transferred to another thread and its buffer back, then reused', async () => {
    const buffers = new ChunkBuffers(32, 4);
    const { read } = readIntoFromPieces(piecesOf(encoder.encode('{"a":1}\n{"b":2}\n'), [5]));
    let chunk: NdjsonChunk | undefined;
    for await (const made of chunkNdjson(read, 'x', buffers)) chunk ??= made;
    if (!chunk) throw new Error('no chunk');
    const { port1, port2 } = new MessageChannel();
    const sent = chunk.data.buffer as ArrayBuffer;
    port1.postMessage(chunk, [sent]);
    // Transferred: gone from here, and not kept.
    expect(sent.byteLength).toBe(0);
    buffers.give(sent);
    const arrived = await new Promise<NdjsonChunk>((resolve) => port2.once('message', resolve));
    expect([...linesOfChunk(arrived, WHOLE)].map((l) => l.text)).toEqual(['{"a":1}', '{"b":2}']);
    const back = arrived.data.buffer as ArrayBuffer;
    port2.postMessage(back, [back]);
    const returned = await new Promise<ArrayBuffer>((resolve) => port1.once('message', resolve));
    buffers.give(returned);
    expect(buffers.take(32).buffer).toBe(returned);
    port1.close();
  });
});
