/** How qa reads an issue's FHIRPath expression as the JSON steps it walks to find the FSH rule. */
import { describe, expect, it } from 'vitest';
import { expressionSteps } from '../../harness/qa/rule-paths.js';

describe('FHIRPath expressions as JSON steps', () => {
  it('reads indexes, choice types and the validator’s resource annotations', () => {
    expect(expressionSteps('Claim.item[1].unitPrice.value')).toEqual(['item', 1, 'unitPrice', 'value']);
    expect(expressionSteps('ActivityDefinition.extension[0].value.ofType(Money).currency')).toEqual([
      'extension',
      0,
      'valueMoney',
      'currency',
    ]);
    expect(expressionSteps('Bundle.entry[0].resource/*Patient/x*/.birthDate')).toEqual([
      'entry',
      0,
      'resource',
      'birthDate',
    ]);
  });
});
