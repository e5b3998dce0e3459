/**
 * GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`, which GitHub shows
 * as annotations on the file. Escaping follows the runner: `%`, CR and LF in the message; in property
 * values also `:` and `,`.
 */
import type { Severity } from '../../validator/index.js';
import type { Sink } from '../output.js';
import type { FormatOptions, Formatter } from './types.js';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = {
  fatal: 'error',
  error: 'error',
  warning: 'warning',
  information: 'notice',
};

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function createGithubFormatter(sink: Sink, _options: FormatOptions): Formatter {
  return {
    add(result) {
      for (const item of result.issues) {
        const properties = [`file=${escapeProperty(result.file)}`];
        if (item.location) properties.push(`line=${item.location.line}`, `col=${item.location.column}`);
        properties.push(`title=${escapeProperty(item.id)}`);
        const message = item.expression ? `${item.text} (${item.expression})` : item.text;
        sink.write(`::${COMMAND[item.severity]} ${properties.join(',')}::${escapeData(message)}\n`);
      }
    },
    end() {},
  };
}
