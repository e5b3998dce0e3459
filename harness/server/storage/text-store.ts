/**
 * The stored JSON texts, outside the JavaScript heap: appended to slabs of 16 MB, each text read back
 * (a fresh string) when a version is read. A million resources are then a few hundred megabytes of
 * bytes the collector never walks, instead of a million strings (each, as JSON.stringify builds it, a
 * tree of several) it walks on every full collection; and the heap's limit is left to the objects.
 * Texts of plain ASCII, the usual case, are kept as one byte a character and read back as Latin-1,
 * the fastest decoding; others as UTF-8.
 */

const SLAB_BYTES = 16 << 20;

/** Where a text is: its slab, its offset there, and its length in bytes (negative when UTF-8). */
export interface TextPlace {
  slab: number;
  offset: number;
  bytes: number;
}

export class TextStore {
  private readonly slabs: Buffer[] = [];
  /** Bytes used in the last slab. */
  private used = SLAB_BYTES;

  put(text: string): TextPlace {
    const length = Buffer.byteLength(text, 'utf8');
    const ascii = length === text.length;
    if (this.used + length > SLAB_BYTES || this.slabs.length === 0) {
      // A text larger than a slab gets one of its own size.
      this.slabs.push(Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, length)));
      this.used = 0;
    }
    const slab = this.slabs.length - 1;
    const offset = this.used;
    this.slabs[slab]!.write(text, offset, length, ascii ? 'latin1' : 'utf8');
    this.used += length;
    // The next text starts in a fresh slab when this one was a text of its own.
    if (length > SLAB_BYTES) this.used = SLAB_BYTES;
    return { slab, offset, bytes: ascii ? length : -length };
  }

  get(place: TextPlace): string {
    const { slab, offset, bytes } = place;
    const buffer = this.slabs[slab]!;
    return bytes >= 0
      ? buffer.toString('latin1', offset, offset + bytes)
      : buffer.toString('utf8', offset, offset - bytes);
  }
}
