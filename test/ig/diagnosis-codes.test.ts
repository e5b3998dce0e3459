import { describe, expect, it } from 'vitest';
import { parseDiagnosisCsv, withDeploymentCodes } from '../../harness/ig/diagnosis-codes.js';

describe('a deployment diagnosis list', () => {
  it('reads code,display rows with an optional header, a BOM and quoted displays', () => {
    const csv =
      '\uFEFFcode,display\r\nA00,Cholera\r\n"B50","Plasmodium falciparum malaria, ""severe"""\n\nI10,Essential (primary) hypertension\n';
    expect(parseDiagnosisCsv(csv)).toEqual({
      ok: true,
      value: [
        { code: 'A00', display: 'Cholera' },
        { code: 'B50', display: 'Plasmodium falciparum malaria, "severe"' },
        { code: 'I10', display: 'Essential (primary) hypertension' },
      ],
    });
  });

  it.each([
    ['A00,Cholera\nA00,Cholera again', /line 2: the code A00 appears twice/],
    ['A00,Cholera,extra', /line 1: expected two columns/],
    ['A00', /line 1: the code A00 has no display/],
    [' ,Nothing', /line 1: the code "" is empty/],
    ['code,display\n', /no codes/],
  ])('refuses %j with a message that says where', (csv, message) => {
    const parsed = parseDiagnosisCsv(csv);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('turns the shipped fragment into a complete CodeSystem', () => {
    const fragment = {
      resourceType: 'CodeSystem' as const,
      id: 'diagnosis-ICD10-level1',
      content: 'fragment',
      concept: [{ code: 'A00', display: 'Cholera' }],
    };
    const complete = withDeploymentCodes(fragment, [
      { code: 'Z99', display: 'Dependence on enabling machines' },
    ]);
    expect(complete).toMatchObject({
      id: 'diagnosis-ICD10-level1',
      content: 'complete',
      count: 1,
      concept: [{ code: 'Z99' }],
    });
    expect(fragment.content).toBe('fragment');
  });
});
