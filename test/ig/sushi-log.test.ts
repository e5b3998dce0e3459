import { describe, expect, it } from 'vitest';
import { parseSushiLog } from '../../harness/ig/sushi.js';

const LOG = `info  Importing FSH text...
warn  Failed to load automatically-provided hl7.fhir.uv.tools.r4#latest
error Cannot resolve element from path: identifier[Code].valu
  File: /ig/input/fsh/profiles/openimis-patient.fsh
  Line: 12
info  Converting FSH to FHIR resources...
warn  The constraint ele-1 is not evaluated
  File: /ig/input/fsh/examples/Patient-john-doe.fsh
  Line: 3 - 5
info  Exported 3 FHIR resources as JSON.`;

describe('reading the SUSHI log', () => {
  it('finds each error and warning with the FSH file and line it points to', () => {
    expect(parseSushiLog(LOG)).toEqual([
      {
        level: 'warn',
        text: 'Failed to load automatically-provided hl7.fhir.uv.tools.r4#latest',
        expectedOffline: true,
      },
      {
        level: 'error',
        text: 'Cannot resolve element from path: identifier[Code].valu',
        file: '/ig/input/fsh/profiles/openimis-patient.fsh',
        line: 12,
        expectedOffline: false,
      },
      {
        level: 'warn',
        text: 'The constraint ele-1 is not evaluated',
        file: '/ig/input/fsh/examples/Patient-john-doe.fsh',
        line: 3,
        expectedOffline: false,
      },
    ]);
  });

  it('ignores colour codes a terminal may force', () => {
    expect(parseSushiLog('\x1b[31merror\x1b[39m Something broke')).toEqual([
      { level: 'error', text: 'Something broke', expectedOffline: false },
    ]);
  });
});
