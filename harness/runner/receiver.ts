/**
 * The built-in receiver for notifications (rest-hook subscriptions, callbacks): an HTTP server on
 * loopback that records every request and answers with a status the step chooses.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReceivedRequest, Receiver } from './types.js';

/** Bodies past this size are cut (a notification is small; a runaway sender is not kept in memory). */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface RunningReceiver extends Receiver {
  close(): Promise<void>;
}

export async function startReceiver(): Promise<RunningReceiver> {
  const received: ReceivedRequest[] = [];
  let status = 200;
  const server: Server = createServer((request, response) => {
    readBody(request).then(
      (body) => {
        received.push({
          method: request.method ?? 'GET',
          path: request.url ?? '/',
          headers: flatHeaders(request),
          body,
          at: new Date().toISOString(),
        });
        response.writeHead(status, { 'content-type': 'text/plain' }).end();
      },
      () => response.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: (path) => received.filter((request) => path === undefined || request.path.startsWith(path)),
    answerWith: (next) => {
      status = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function flatHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
