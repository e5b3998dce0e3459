/**
 * Where formatted output goes: a sink takes text in order. Output is buffered and written in large
 * chunks (millions of small writes would dominate a bulk run); a spool holds text that must wait for a
 * header computed at the end (JUnit counts), in memory up to a limit, then in a temporary file.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Sink {
  write(text: string): void;
}

/** A sink collecting text, for tests and for callers who want a string. */
export class StringSink implements Sink {
  private readonly parts: string[] = [];
  write(text: string): void {
    this.parts.push(text);
  }
  toString(): string {
    return this.parts.join('');
  }
}

const CHUNK = 64 * 1024;

/** Buffers small writes and hands them on in chunks of about 64 KB. */
export class BufferedSink implements Sink {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly target: (text: string) => void) {}

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.size === 0) return;
    this.target(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

/** A sink writing to a file descriptor, synchronously (a file given with --out). */
export function fileSink(fd: number): BufferedSink {
  return new BufferedSink((text) => {
    writeSync(fd, text);
  });
}

const SPOOL_MEMORY = 4 * 1024 * 1024;

/** Text held back until the end: in memory up to 4 MB, then appended to a temporary file. */
export class Spool implements Sink {
  private parts: string[] = [];
  private size = 0;
  private file: { dir: string; path: string; fd: number } | undefined;

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= SPOOL_MEMORY) this.spill();
  }

  private spill(): void {
    if (!this.file) {
      const dir = mkdtempSync(join(tmpdir(), 'openimis-fhir-spool-'));
      const path = join(dir, 'spool');
      this.file = { dir, path, fd: openSync(path, 'w+') };
    }
    writeSync(this.file.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }

  /** Hands everything held to the sink, in order, then forgets it. */
  drainTo(sink: Sink): void {
    if (this.file) {
      this.spill();
      const buffer = Buffer.alloc(CHUNK * 4);
      const decoder = new TextDecoder('utf-8');
      let position = 0;
      for (;;) {
        const read = readSync(this.file.fd, buffer, 0, buffer.length, position);
        if (read === 0) break;
        position += read;
        sink.write(decoder.decode(buffer.subarray(0, read), { stream: true }));
      }
      const rest = decoder.decode();
      if (rest) sink.write(rest);
      this.dispose();
    } else {
      if (this.size > 0) sink.write(this.parts.join(''));
      this.parts = [];
      this.size = 0;
    }
  }

  dispose(): void {
    if (!this.file) return;
    closeSync(this.file.fd);
    rmSync(this.file.dir, { recursive: true, force: true });
    this.file = undefined;
  }
}

/**
 * Whether to colour output for a stream: NO_COLOR (any non-empty value) turns colour off, FORCE_COLOR
 * turns it on (except FORCE_COLOR=0), otherwise colour exactly when the stream is a terminal.
 */
export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true;
}
