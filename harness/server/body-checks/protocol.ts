/**
 * What the server's main thread and its body-check workers say to each other (body-checks/index.ts).
 */
import type { RequestLimits } from '../limits.js';
import type { WriteValidationMode, WriteVerdict } from '../../validator/write-check.js';

/** Built once per worker. */
export interface BodyWorkerSetup {
  igs: string[];
  mode: WriteValidationMode;
  igProfiles: Record<string, string[]>;
  /** The limits of a request body. */
  limits: RequestLimits;
}

/**
 * Which objects of the body a write would check: the body itself (a create or an update), the
 * resources of a batch or transaction Bundle's entries, or none (a search, a patch, an operation).
 */
export type WriteShape = 'resource' | 'entries' | 'none';

export interface BodyJob {
  id: number;
  /** The body's bytes (UTF-8), handed over without a copy. */
  bytes: Uint8Array;
  format: 'json' | 'xml';
  writes: WriteShape;
}

/** Where a verdict's object is: -1 the body, i the resource of Bundle.entry[i]. */
export type VerdictPlace = number;

export type BodyDone =
  | {
      id: number;
      ok: true;
      /** The body as JSON text, when it came as XML (a JSON body is parsed again from its own text). */
      json?: string;
      verdicts: [VerdictPlace, WriteVerdict][];
    }
  /** 400 unreadable, 413 over a size limit, 503 the checker failed. */
  | { id: number; ok: false; status: 400 | 413 | 503; message: string };
