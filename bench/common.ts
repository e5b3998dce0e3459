/**
 * What every suite of `npm run bench` shares: settings from the environment, memory in MB, a plain text
 * table, and the JSON report under reports/ (git-ignored).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../harness/paths.js';

/** A positive number from the environment, or the default when unset; a bad value is a usage error. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name}=${raw}: expected a positive number`);
  return value;
}

export function envFlag(name: string): boolean {
  const raw = process.env[name];
  return raw !== undefined && raw !== '' && raw !== '0' && raw.toLowerCase() !== 'false';
}

export const MB = 1024 * 1024;

export function megabytes(bytes: number): number {
  return Math.round(bytes / MB);
}

/** Columns padded to their widest cell; numbers and ratios align right, the first column left. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Writes reports/bench-<suite>.json and returns its path. */
export function writeReport(suite: string, report: unknown): string {
  const folder = join(PROJECT_ROOT, 'reports');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `bench-${suite}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

/** What the machine was, so numbers from two runs can be compared. */
export function machine(): { node: string; platform: string; cpus: number; cpuModel: string } {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
  };
}
