/**
 * The connection pool the client sends through. undici's own fetch and Agent are used together (one
 * version, one code path) so `insecure` and a CA file apply to every request, login included.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import type { TargetOptions } from './types.js';

export function createDispatcher(target: Pick<TargetOptions, 'insecure' | 'caFile'>): Agent | Error {
  let ca: string[] | undefined;
  if (target.caFile !== undefined) {
    let pem: string;
    try {
      pem = readFileSync(target.caFile, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      return new Error(`cannot read the CA file ${target.caFile}: ${code}`);
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      return new Error(`the CA file ${target.caFile} holds no PEM certificate`);
    }
    // Node's `ca` replaces the trusted roots; the file adds to them instead.
    ca = [...rootCertificates, pem];
  }
  return new Agent({
    connect: {
      ...(target.insecure ? { rejectUnauthorized: false } : {}),
      ...(ca ? { ca } : {}),
    },
  });
}
