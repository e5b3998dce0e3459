/**
 * The terminology side of the HL7 validator's tier C test cases (fhir-test-cases): the definitions they
 * supply, checked the way those cases expect. The full cases run in the validator's suite.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Terminology } from '../../harness/terminology/index.js';
import { MemorySource } from '../support/terminology-sources.js';

const CASES = '/work/shared/fhir-test-cases/validator';
const read = <T>(name: string): T => JSON.parse(readFileSync(join(CASES, name), 'utf8')) as T;

describe.skipIf(!existsSync(CASES))('HL7 validator test cases, terminology side', () => {
  it('vs-filter-property: `=` on a Coding property matches system#code', () => {
    // Both files share one URL (each case supplies one of them), so each gets its own source.
    const withValueSet = (file: string) =>
      new Terminology(
        new MemorySource([
          read<fhir4.CodeSystem>('cs-filter.json'),
          read<fhir4.CodeSystem>('cs-sub-prop.json'),
          read<fhir4.ValueSet>(file),
        ]),
      );
    const url = 'http://hl7.org/fhir/test/ValueSet/vs-filter-property';
    const tx = withValueSet('vs-filter-property.json');
    expect(tx.expand(url)).toMatchObject({ ok: true, contains: [{ code: 'code1', display: 'display1' }] });
    // code-r-3 does not exist: the filter selects nothing (the validator reports the bad filter value).
    expect(withValueSet('vs-filter-property-bad.json').expand(url)).toEqual({ ok: true, contains: [] });
    // cs-filter is case-insensitive.
    expect(tx.checkCode(url, 'http://hl7.org/fhir/test/CodeSystem/cs-filter', 'CODE1').result).toBe('valid');
  });

  it('supplement-1a/1b: a code only a supplement defines is unknown; a supplement is no Coding.system', () => {
    const base = read<fhir4.CodeSystem>('supplement-cs-1a-base.json');
    const supplement = read<fhir4.CodeSystem>('supplement-cs-1a.json');
    const tx = new Terminology(new MemorySource([base, supplement]));
    expect(tx.lookup(base.url ?? '', 'test')).toMatchObject({
      found: false,
      reason: 'unknown-code',
      message: `Unknown code 'test' in the CodeSystem '${base.url}' version 'null'`,
    });
    expect(tx.lookup(supplement.url ?? '', 'test')).toMatchObject({
      found: false,
      message: `CodeSystem ${supplement.url} is a supplement, so can't be used as a value in Coding.system`,
    });
  });
});
