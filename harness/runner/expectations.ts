/**
 * Fluent expectations on a reply. Each broken one adds a finding ("expected X, found Y") at its level;
 * the step reads the findings when its code is done, so it fails (or warns) once with all of them.
 */
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import type { Validator } from '../validator/index.js';
import type { Level, Reply, ReplyExpectations } from './types.js';

export interface Finding {
  level: Level;
  message: string;
}

export interface ExpectationServices {
  /** The run's one validator, created on first use. */
  validator(): Validator;
  /** How to show the request's URL (relative to the base). */
  shortUrl(url: string): string;
}

/** How many validation issues a message quotes before "and N more". */
const QUOTED_ISSUES = 5;

export class Expectations implements ReplyExpectations {
  constructor(
    private readonly reply: Reply,
    private readonly level: Level,
    private readonly findings: Finding[],
    private readonly services: ExpectationServices,
  ) {}

  status(expected: number | number[]): ReplyExpectations {
    const allowed = Array.isArray(expected) ? expected : [expected];
    if (!allowed.includes(this.reply.status)) {
      this.add(`expected status ${allowed.join(' or ')}, found ${this.reply.status}${this.outcomeText()}`);
    }
    return this;
  }

  statusClass(expected: number): ReplyExpectations {
    if (Math.floor(this.reply.status / 100) !== expected) {
      this.add(`expected a ${expected}xx status, found ${this.reply.status}${this.outcomeText()}`);
    }
    return this;
  }

  header(name: string, expected?: string | RegExp): ReplyExpectations {
    const found = this.reply.headers[name.toLowerCase()];
    if (found === undefined) {
      const wanted =
        expected === undefined
          ? ''
          : ` ${expected instanceof RegExp ? `matching ${String(expected)}` : JSON.stringify(expected)}`;
      this.add(`expected header ${name}${wanted}, found none`);
    } else if (typeof expected === 'string' && found !== expected) {
      this.add(`expected header ${name} ${JSON.stringify(expected)}, found ${JSON.stringify(found)}`);
    } else if (expected instanceof RegExp && !expected.test(found)) {
      this.add(`expected header ${name} matching ${String(expected)}, found ${JSON.stringify(found)}`);
    }
    return this;
  }

  resourceType(expected: string): ReplyExpectations {
    const found = this.foundType();
    if (found !== expected) this.add(`expected a ${expected}, found ${found}`);
    return this;
  }

  valid(profile?: string): ReplyExpectations {
    const what = profile ? `valid against ${profile}` : 'a valid resource';
    if (this.reply.json === undefined) {
      this.add(`expected ${what}, found ${this.foundType()}`);
      return this;
    }
    const { issues } = this.services
      .validator()
      .validateDetailed(this.reply.json as object, profile ? { profiles: [profile] } : {});
    const errors = issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
    if (errors.length > 0) {
      const quoted = errors
        .slice(0, QUOTED_ISSUES)
        .map((issue) => `[${issue.id}] ${issue.expression ? `${issue.expression}: ` : ''}${issue.text}`);
      const more = errors.length > QUOTED_ISSUES ? `; and ${errors.length - QUOTED_ISSUES} more` : '';
      this.add(
        `expected ${what}, found ${errors.length} error${errors.length === 1 ? '' : 's'}: ${quoted.join('; ')}${more}`,
      );
    }
    return this;
  }

  fhirpath(expression: string, expected?: unknown): ReplyExpectations {
    if (this.reply.json === undefined) {
      this.add(`expected ${expression} to be evaluated on a resource, found ${this.foundType()}`);
      return this;
    }
    let result: unknown[];
    try {
      result = fhirpath.evaluate(this.reply.json as object, expression, undefined, r4Model) as unknown[];
    } catch (error) {
      this.add(`the FHIRPath expression ${expression} cannot be evaluated: ${(error as Error).message}`);
      return this;
    }
    if (expected === undefined) {
      if (!(result.length === 1 && result[0] === true)) {
        this.add(`expected ${expression} to be true, found ${JSON.stringify(result)}`);
      }
      return this;
    }
    // A single value compares with a single result; an array with the whole collection.
    const actual = Array.isArray(expected) ? result : result.length === 1 ? result[0] : result;
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      this.add(`expected ${expression} = ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`);
    }
    return this;
  }

  outcome(): ReplyExpectations {
    const found = this.foundType();
    if (found !== 'OperationOutcome') this.add(`expected an OperationOutcome body, found ${found}`);
    return this;
  }

  that(predicate: (reply: Reply) => boolean, message: string): ReplyExpectations {
    try {
      if (!predicate(this.reply)) this.add(message);
    } catch (error) {
      this.add(`${message} (the check threw: ${(error as Error).message})`);
    }
    return this;
  }

  private add(text: string): void {
    const { method, url } = this.reply.exchange.request;
    this.findings.push({ level: this.level, message: `${method} ${this.services.shortUrl(url)}: ${text}` });
  }

  /** What the body is, in words: "a Patient", "an empty body", "a body that is not JSON (text/html)". */
  private foundType(): string {
    const json = this.reply.json;
    if (json === undefined) {
      if (this.reply.text.trim() === '') return 'an empty body';
      const type = this.reply.headers['content-type'];
      return `a body that is not JSON${type ? ` (${type})` : ''}`;
    }
    const type = (json as { resourceType?: unknown }).resourceType;
    return typeof type === 'string' ? type : 'JSON without a resourceType';
  }

  /** The first issue of an OperationOutcome body, to say why a status was not the expected one. */
  private outcomeText(): string {
    const json = this.reply.json as fhir4.OperationOutcome | undefined;
    if (json?.resourceType !== 'OperationOutcome') return '';
    const first = json.issue?.[0];
    const text = first?.diagnostics ?? first?.details?.text;
    return text ? ` (${text})` : '';
  }
}
