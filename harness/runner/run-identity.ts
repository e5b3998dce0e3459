/** What a run reports about itself: the tool's and the IG's versions, and a fresh run id. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { igPaths, projectVersion } from '../paths.js';

export function toolIdentity(): { name: string; version: string } {
  return { name: 'openimis-fhir', version: projectVersion() };
}

/** The IG's package id and version, from sushi-config.yaml (top-level `id:` and `version:`). */
export function igIdentity(): { packageId: string; version: string } {
  let text = '';
  try {
    text = readFileSync(igPaths().sushiConfig, 'utf8');
  } catch {
    return { packageId: 'unknown', version: 'unknown' };
  }
  const field = (name: string) => new RegExp(`^${name}:\\s*(\\S+)\\s*$`, 'm').exec(text)?.[1] ?? 'unknown';
  return { packageId: field('id'), version: field('version') };
}

/** Short, lower-case, usable in FHIR ids and identifiers: base-36 time and 4 random hex digits. */
export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}
