/**
 * The server's log: one JSON object per line on stderr, for what an operator must be able to find
 * later (refused logins, faults, storage and memory trouble). Entries never hold a password, a token or
 * a request body. A library user (and a test) passes its own sink.
 */
export interface LogEntry {
  /** What happened, as a short kebab-case name: 'login-refused', 'internal-error', ... */
  event: string;
  [detail: string]: string | number | boolean | undefined;
}

export type ServerLog = (entry: LogEntry) => void;

/** One line of JSON for an entry, with the time first. */
const logLine = (entry: LogEntry): string =>
  `${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`;

/** Lines on a stream (stderr, a file, stdout), each with the time. */
export function streamLog(stream: NodeJS.WritableStream): ServerLog {
  return (entry) => {
    stream.write(logLine(entry));
  };
}

export const stderrLog: ServerLog = streamLog(process.stderr);

/** Nothing logged (the default for servers started from code). */
export const quietLog: ServerLog = () => {};
