/**
 * Scenario inputs: declared by a scenario, given by the user (by name, shared among the scenarios
 * that declare it), defaulted, masked when secret, required by a step (which then skips saying what
 * to give), refused when no scenario declares them; inputs files in JSON and YAML.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInputAssignment, parseInputsFile, resolveInputs } from '../../harness/runner/inputs.js';
import { scenario, scenarioProblems, step, type StepContext } from '../../harness/runner/index.js';
import {
  capabilityStatement,
  fakeServer,
  json,
  run,
  withMetadata,
  type FakeServer,
} from '../support/fake-servers.js';

const seen: Record<string, unknown> = {};

const claim = scenario({
  id: 'claim-like',
  title: 'Takes an insuree code and a password',
  inputs: [
    { name: 'insuree-code', description: 'the Code identifier of an insured patient' },
    { name: 'service-code', description: 'a service of the price list', default: 'A1' },
    { name: 'password', description: 'the claim administrator password', secret: true },
  ],
  steps: [
    step({
      id: 'reads',
      title: 'reads its inputs',
      run: async (t: StepContext) => {
        seen.code = t.input('insuree-code');
        seen.service = t.input('service-code');
        seen.password = t.input('password');
      },
    }),
    step({
      id: 'requires',
      title: 'requires the insuree code',
      run: async (t: StepContext) => {
        seen.required = t.requireInput('insuree-code');
      },
    }),
    step({
      id: 'undeclared',
      title: 'asks for what it did not declare',
      run: async (t: StepContext) => {
        t.input('no-such-input');
      },
    }),
  ],
});

const eligibility = scenario({
  id: 'eligibility-like',
  title: 'Shares the insuree code',
  inputs: [{ name: 'insuree-code', description: 'the Code identifier of an insured patient' }],
  steps: [
    step({
      id: 'reads',
      title: 'reads the shared input',
      run: async (t: StepContext) => void (seen.shared = t.input('insuree-code')),
    }),
  ],
});

let server: FakeServer;
beforeAll(async () => {
  server = await fakeServer(
    withMetadata(capabilityStatement({ Patient: ['read'] }), (_request, response) => json(response, 200, {})),
  );
});
afterAll(() => server.close());

describe('a run with inputs', () => {
  it('gives each step the value given, else the default; a secret is masked in the record', async () => {
    for (const key of Object.keys(seen)) delete seen[key];
    const result = await run([claim, eligibility], server.url, {
      inputs: { 'insuree-code': '070707070', password: 's3cret' },
    });
    expect(seen).toMatchObject({ code: '070707070', service: 'A1', password: 's3cret', shared: '070707070' });
    expect(seen.required).toBe('070707070');
    expect(result.inputs).toEqual([
      {
        name: 'insuree-code',
        value: '070707070',
        source: 'given',
        scenarios: ['claim-like', 'eligibility-like'],
      },
      { name: 'service-code', value: 'A1', source: 'default', scenarios: ['claim-like'] },
      { name: 'password', value: '***', source: 'given', scenarios: ['claim-like'] },
    ]);
    expect(JSON.stringify(result)).not.toContain('s3cret');
  });

  it('skips a step whose required input has no value, saying which to give and how', async () => {
    const result = await run([claim], server.url);
    const requires = result.scenarios[0]?.steps.find((s) => s.id === 'requires');
    expect(requires?.outcome).toBe('skip');
    expect(requires?.messages).toEqual([
      'needs the input insuree-code (the Code identifier of an insured patient): give --input insuree-code=VALUE or put it in --inputs FILE',
    ]);
    expect(result.inputs[0]).toEqual({ name: 'insuree-code', source: 'none', scenarios: ['claim-like'] });
  });

  it('errors the step that asks for an input its scenario does not declare', async () => {
    const result = await run([claim], server.url);
    const undeclared = result.scenarios[0]?.steps.find((s) => s.id === 'undeclared');
    expect(undeclared?.outcome).toBe('error');
    expect(undeclared?.messages.join(' ')).toMatch(/does not declare in its inputs/);
  });

  it('refuses a given input no selected scenario declares, naming those declared', async () => {
    const result = await run([eligibility], server.url, { inputs: { 'insuree-cod': 'x' } });
    expect(result.infrastructureError).toBe(
      'no selected scenario declares the input insuree-cod; declared: insuree-code',
    );
    expect(result.scenarios).toEqual([]);
  });
});

describe('declaring inputs', () => {
  it('says what is wrong with a declaration', () => {
    const problems = scenarioProblems(
      {
        id: 'bad-inputs',
        title: 'Bad inputs',
        inputs: [
          { name: 'Insuree Code', description: '' },
          { name: 'a', description: 'x', default: 3 },
          { name: 'a', description: 'y' },
        ],
        steps: [],
      },
      'scenario 1',
    );
    expect(problems).toEqual([
      'scenario 1 (bad-inputs).inputs[0].name must be a kebab-case string, found "Insuree Code"',
      'scenario 1 (bad-inputs).inputs[0].description must be a non-empty string',
      'scenario 1 (bad-inputs).inputs[1].default must be a string',
      'scenario 1 (bad-inputs).inputs[2]: the input "a" is declared twice',
    ]);
  });
});

describe('inputs as the user writes them', () => {
  it('name=value, the value keeping any = it holds', () => {
    expect(parseInputAssignment('token=a=b')).toEqual(['token', 'a=b']);
    expect(parseInputAssignment('=x')).toBeInstanceOf(Error);
    expect(parseInputAssignment('novalue')).toBeInstanceOf(Error);
  });

  it('a YAML or JSON map; numbers and booleans as their text', () => {
    expect(parseInputsFile('insuree-code: 070707070\nretries: 3\nasync: true\n', 'inputs.yaml')).toEqual({
      'insuree-code': '070707070',
      retries: '3',
      async: 'true',
    });
    expect(parseInputsFile('{"insuree-code": "070707070"}', 'inputs.json')).toEqual({
      'insuree-code': '070707070',
    });
    expect(parseInputsFile('', 'empty.yaml')).toEqual({});
  });

  it.each([
    ['not YAML', 'a: [1, 2', 'x.yaml', /x\.yaml is not valid YAML/],
    ['not JSON', '{"a":', 'x.json', /x\.json is not valid JSON/],
    ['a list', '- a\n- b\n', 'x.yaml', /must hold a map/],
    [
      'a nested value',
      'a:\n  b: 1\n',
      'x.yaml',
      /the input 'a' must be a string, a number or a boolean, found object/,
    ],
  ])('%s is an error that says where', (_name, text, file, message) => {
    const parsed = parseInputsFile(text, file);
    expect(parsed).toBeInstanceOf(Error);
    expect((parsed as Error).message).toMatch(message);
  });

  it('a __proto__ key is a name like any other, unknown to the scenarios', () => {
    const parsed = parseInputsFile('{"__proto__": "x"}', 'hostile.json');
    expect(parsed).not.toBeInstanceOf(Error);
    expect(Object.keys(parsed as object)).toEqual(['__proto__']);
    expect(resolveInputs([eligibility], parsed as Record<string, string>)).toBeInstanceOf(Error);
  });
});
