/**
 * JUnit XML: a testsuite per input file, a testcase per resource. A resource with issues at or above
 * --fail-on is a <failure> (message: its first such issue; body: all of them); issues below the
 * threshold go to <system-out>, since JUnit has no warning. The counts in the headers are known only at
 * the end, so testcases wait in spools (memory, then a temporary file), never as objects.
 */
import { cdata, escapeXmlText, xmlAttributes as attributes } from '../../xml.js';
import type { ValidationIssue } from '../../validator/index.js';
import { Spool, type Sink } from '../output.js';
import { atOrAbove, type ResourceResult } from '../results.js';
import type { FormatOptions, Formatter } from './types.js';

function issueLine(item: ValidationIssue): string {
  const where = item.location ? `${item.location.line}:${item.location.column} ` : '';
  return `${where}${item.severity} ${item.text} (${item.id} @ ${item.expression})`;
}

function caseName(result: ResourceResult): string {
  const type = result.resourceType ?? 'resource';
  return result.index === undefined ? `${type} ${result.file}` : `line ${result.index}: ${type}`;
}

export function createJunitFormatter(sink: Sink, options: FormatOptions): Formatter {
  const body = new Spool();
  const suite = new Spool();
  let suiteFile: string | undefined;
  let suiteTests = 0;
  let suiteFailures = 0;
  let tests = 0;
  let failures = 0;
  const closeSuite = () => {
    if (suiteFile === undefined) return;
    body.write(
      `  <testsuite${attributes({ name: suiteFile, tests: suiteTests, failures: suiteFailures, errors: 0, skipped: 0 })}>\n`,
    );
    suite.drainTo(body);
    body.write('  </testsuite>\n');
    suiteFile = undefined;
  };
  return {
    add(result) {
      if (result.file !== suiteFile) {
        closeSuite();
        suiteFile = result.file;
        suiteTests = 0;
        suiteFailures = 0;
      }
      suiteTests++;
      tests++;
      const failing = result.issues.filter((item) => atOrAbove(item.severity, options.failOn));
      const other = result.issues.filter((item) => !atOrAbove(item.severity, options.failOn));
      const head = `    <testcase${attributes({ name: caseName(result), classname: result.file })}`;
      const inner: string[] = [];
      if (failing.length > 0) {
        suiteFailures++;
        failures++;
        const first = failing[0] as ValidationIssue;
        inner.push(
          `      <failure${attributes({ message: first.text, type: first.id })}>${escapeXmlText(failing.map(issueLine).join('\n'))}</failure>`,
        );
      }
      const out = [
        ...other.map(issueLine),
        ...(result.suppressed ?? []).map((item) => `suppressed (${item.reason}): ${issueLine(item)}`),
      ];
      if (out.length > 0) inner.push(`      <system-out>${cdata(out.join('\n'))}</system-out>`);
      suite.write(inner.length === 0 ? `${head}/>\n` : `${head}>\n${inner.join('\n')}\n    </testcase>\n`);
    },
    end(summary) {
      closeSuite();
      const name = options.runName ?? 'openimis-fhir validate';
      const time: Record<string, string> = summary ? { time: (summary.durationMs / 1000).toFixed(3) } : {};
      sink.write(
        `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attributes({ name, tests, failures, errors: 0, ...time })}>\n`,
      );
      body.drainTo(sink);
      sink.write('</testsuites>\n');
    },
  };
}
