/**
 * eslint-like text: issues grouped under their file, one line each,
 * `path:line:col  severity  message  (id @ expression)`, so editors and terminals can jump to the spot.
 * Clean resources print nothing; baselined issues only count in the summary.
 */
import type { Severity } from '../../validator/index.js';
import type { Sink } from '../output.js';

import type { FormatOptions, Formatter } from './types.js';

const STYLE = {
  bold: ['\u001b[1m', '\u001b[22m'],
  underline: ['\u001b[4m', '\u001b[24m'],
  dim: ['\u001b[2m', '\u001b[22m'],
  red: ['\u001b[31m', '\u001b[39m'],
  yellow: ['\u001b[33m', '\u001b[39m'],
  blue: ['\u001b[34m', '\u001b[39m'],
} as const;

type Style = keyof typeof STYLE;

const SEVERITY_STYLE: Record<Severity, Style> = {
  fatal: 'red',
  error: 'red',
  warning: 'yellow',
  information: 'blue',
};

/** Padded to the longest word, so messages line up. */
const WIDTH = 'information'.length;

export function createTextFormatter(sink: Sink, options: FormatOptions): Formatter {
  const paint = (style: Style, text: string) =>
    options.colour ? `${STYLE[style][0]}${text}${STYLE[style][1]}` : text;
  let currentFile: string | undefined;
  return {
    add(result) {
      if (result.issues.length === 0) return;
      if (result.file !== currentFile) {
        sink.write(`${currentFile === undefined ? '' : '\n'}${paint('underline', result.file)}\n`);
        currentFile = result.file;
      }
      for (const item of result.issues) {
        const where = item.location
          ? `${result.file}:${item.location.line}:${item.location.column}`
          : result.file;
        const severity = paint(SEVERITY_STYLE[item.severity], item.severity.padEnd(WIDTH));
        const context = paint('dim', `(${item.id} @ ${item.expression || '(document)'})`);
        sink.write(`  ${where}  ${severity}  ${item.text}  ${context}\n`);
      }
    },
    end() {
      if (currentFile !== undefined) sink.write('\n');
    },
  };
}
