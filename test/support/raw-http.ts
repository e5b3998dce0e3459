/**
 * Pieces of the reliability suite (test/server/reliability.test.ts) that fetch cannot do: requests sent
 * exactly as written (any method, paths not normalised, headers fetch forbids), bytes written straight
 * to a socket, and the server run as its own process (`openimis-fhir serve`) so that it can be killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
}

/** An HTTP request as written: `path` goes on the request line untouched. */
export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body in 64 KB chunks without Content-Length (Transfer-Encoding: chunked). */
  chunked?: boolean;
}

/** Sends a request through node:http; resolves with the answer, rejects when none comes. */
export function rawRequest(origin: URL, request: RawRequest, agent?: http.Agent): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: origin.hostname,
        port: origin.port,
        method: request.method,
        path: request.path,
        headers: request.headers ?? {},
        ...(agent ? { agent } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'] ?? '',
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    if (body && request.chunked) {
      for (let offset = 0; offset < body.length; offset += 65_536)
        outgoing.write(body.subarray(offset, offset + 65_536));
      outgoing.end();
    } else outgoing.end(body);
  });
}

/**
 * Writes bytes to a fresh connection and reads one HTTP/1.1 answer: complete when its Content-Length
 * is in, or when the server closes. Resolves status 0 when the server closed without a word.
 */
export function socketRequest(origin: URL, bytes: string | Buffer, timeoutMs = 5_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(origin.port), origin.hostname);
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseAnswer(received));
    };
    const timer = setTimeout(() => {
      settled = true;
      socket.destroy();
      reject(
        new Error(
          `no complete answer within ${timeoutMs} ms to ${JSON.stringify(String(bytes).slice(0, 60))}`,
        ),
      );
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (isComplete(received)) finish();
    });
    socket.on('close', finish);
    socket.on('error', () => finish());
    socket.write(bytes);
  });
}

function splitAnswer(bytes: Buffer): { head: string; body: Buffer } | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  return { head: bytes.subarray(0, end).toString('latin1'), body: bytes.subarray(end + 4) };
}

function isComplete(bytes: Buffer): boolean {
  const parts = splitAnswer(bytes);
  const length = parts && /^content-length:\s*(\d+)/im.exec(parts.head)?.[1];
  return parts !== undefined && length !== undefined && parts.body.length >= Number(length);
}

function parseAnswer(bytes: Buffer): RawAnswer {
  const parts = splitAnswer(bytes);
  if (!parts) return { status: 0, contentType: '', text: bytes.toString('utf8') };
  return {
    status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(parts.head)?.[1] ?? 0),
    contentType: /^content-type:\s*(.*)$/im.exec(parts.head)?.[1]?.trim() ?? '',
    text: parts.body.toString('utf8'),
  };
}

/** Why an answer is not a 4xx with an OperationOutcome in FHIR JSON; undefined when it is one. */
export function notAnOutcome(answer: RawAnswer, status?: number): string | undefined {
  if (status !== undefined ? answer.status !== status : answer.status < 400 || answer.status > 499)
    return `status ${answer.status}, expected ${status ?? '4xx'}`;
  if (!answer.contentType.startsWith('application/fhir+json'))
    return `Content-Type '${answer.contentType}', expected application/fhir+json`;
  let body: { resourceType?: unknown; issue?: unknown };
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    return `a body that is not JSON: ${answer.text.slice(0, 80)}`;
  }
  if (body.resourceType !== 'OperationOutcome' || !Array.isArray(body.issue) || body.issue.length === 0)
    return `a ${String(body.resourceType)} instead of an OperationOutcome with issues`;
  return undefined;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BUILT_CLI = join(ROOT, 'dist/harness/cli.js');

export interface ServerProcess {
  /** The FHIR base the server printed, e.g. http://127.0.0.1:4321/fhir */
  url: string;
  child: ChildProcess;
  /** Resolves with the signal (or exit code) the process ended with. */
  ended: Promise<NodeJS.Signals | number | null>;
  /** Everything it wrote to stderr so far: for failure messages (and its log lines). */
  stderr(): string;
  /** Everything it wrote to stdout so far. */
  stdout(): string;
}

export interface ServerProcessOptions {
  /** Options for node itself (`--max-old-space-size=...`). */
  nodeArgs?: string[];
  /**
   * A file size limit in 512-byte blocks (`ulimit -f`), with SIGXFSZ ignored: writes past it fail
   * with EFBIG, as on a full disk.
   */
  fileSizeLimitBlocks?: number;
  timeoutMs?: number;
}

/**
 * Starts `openimis-fhir serve` from the built CLI (`npm test` builds first) with `--port 0`, and waits
 * for the line that says where it listens: no race for a port picked beforehand.
 */
export async function startServerProcess(
  args: string[],
  options: ServerProcessOptions = {},
): Promise<ServerProcess> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run npm run build first`);
  const command = [process.execPath, ...(options.nodeArgs ?? []), BUILT_CLI, 'serve', '--port', '0', ...args];
  const child =
    options.fileSizeLimitBlocks === undefined
      ? spawn(command[0] as string, command.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(
          'bash',
          ['-c', `trap '' XFSZ; ulimit -f ${options.fileSizeLimitBlocks}; exec "$@"`, 'serve', ...command],
          { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
        );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ended = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    const look = () => {
      const found = /listening at (\S+)/.exec(stdout)?.[1];
      if (!found) return;
      clearTimeout(timer);
      child.stdout.off('data', look);
      resolve(found);
    };
    child.stdout.on('data', look);
    void ended.then((how) => {
      clearTimeout(timer);
      reject(new Error(`the server stopped (${String(how)}) before listening: ${stderr}`));
    });
  });
  return { url, child, ended, stderr: () => stderr, stdout: () => stdout };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
