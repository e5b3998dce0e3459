/**
 * Reads the files of a gzipped tar archive (a FHIR package .tgz) into memory. FHIR packages are small
 * (a few MB), so a whole-archive read is simpler than streaming and fast enough.
 */
import { gunzipSync } from 'node:zlib';

export interface TarFile {
  path: string;
  content: Buffer;
}

const BLOCK = 512;

function readString(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
}

function readOctal(block: Buffer, start: number, length: number): number {
  const text = readString(block, start, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

/** The `path=` record of a pax extended header, which overrides the next entry's name. */
function paxPath(content: Buffer): string | undefined {
  for (const record of content.toString('utf8').split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match) return match[1];
  }
  return undefined;
}

export function readTarball(gzipped: Buffer): TarFile[] {
  const archive = gunzipSync(gzipped);
  const files: TarFile[] = [];
  let offset = 0;
  let nextName: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = readOctal(header, 124, 12);
    if (!Number.isFinite(size) || size < 0) throw new Error(`corrupt tar header at byte ${offset}`);
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = readString(header, 345, 155);
    const name = readString(header, 0, 100);
    const dataStart = offset + BLOCK;
    const content = archive.subarray(dataStart, dataStart + size);
    if (content.length < size) throw new Error(`the tar archive ends inside ${name}`);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'x') nextName = paxPath(content);
    else if (type === 'L') nextName = content.toString('utf8').replace(/\0+$/, '');
    else if (type === '0' || type === '\0') {
      files.push({ path: nextName ?? (prefix ? `${prefix}/${name}` : name), content });
      nextName = undefined;
    } else nextName = undefined;
  }
  return files;
}
