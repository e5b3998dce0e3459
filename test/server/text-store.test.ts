/** The stored texts outside the heap: whatever goes in comes back the same, across slabs and encodings. */
import { describe, expect, it } from 'vitest';
import { TextStore } from '../../harness/server/storage/text-store.js';

describe('TextStore', () => {
  it('gives back every text as it was put: ASCII, Latin-1, other scripts, astral characters, empty', () => {
    const store = new TextStore();
    const texts = [
      '{"a":1}',
      'Müller',
      'Ωμέγα, 東京, नमस्ते',
      'emoji 🙂 and \u0000 and \uFFFD',
      '',
      'x'.repeat(5000),
    ];
    const places = texts.map((text) => store.put(text));
    texts.forEach((text, i) => expect(store.get(places[i]!)).toBe(text));
    // ASCII is kept a byte a character; anything else as UTF-8.
    expect(places.map((p) => Math.sign(p.bytes))).toEqual([1, -1, -1, -1, 0, 1]);
  });

  it('fills slabs one after another, and gives a text larger than a slab one of its own', () => {
    const store = new TextStore();
    const mb = (fill: string) => fill.repeat(1 << 20);
    const texts = Array.from({ length: 20 }, (_, i) => mb(String.fromCharCode(97 + i)));
    texts.splice(10, 0, mb('Z').repeat(17), 'after the large one');
    const places = texts.map((text) => store.put(text));
    texts.forEach((text, i) => expect(store.get(places[i]!) === text, `text ${i}`).toBe(true));
    expect(new Set(places.map((p) => p.slab)).size).toBeGreaterThanOrEqual(3);
    expect(places[11]!.slab).not.toBe(places[10]!.slab);
  });
});
