/**
 * A display the code system does not give for the code, under the two policies: ours warns (payloads
 * word displays their own way); the HL7 validator's default (the oracle's) makes it an error. A right
 * display, in any letter case, raises nothing under either.
 */
import { describe, expect, it } from 'vitest';
import { createValidator } from '../../harness/validator/index.js';

const lenient = createValidator();
const strict = createValidator({ displayMismatch: 'error' });

function displayIssue(validator: typeof lenient, display: string) {
  const result = validator.validateDetailed({
    resourceType: 'Patient',
    maritalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M', display }],
    },
  });
  return result.issues.find((issue) => issue.id === 'TX_DISPLAY_WRONG');
}

describe('a display the code system does not give', () => {
  it('is a warning by default, at the display', () => {
    const issue = displayIssue(lenient, 'Wed');
    expect(issue?.severity).toBe('warning');
    expect(issue?.expression).toBe('Patient.maritalStatus.coding[0].display');
  });

  it('is an error under the HL7 default', () => {
    expect(displayIssue(strict, 'Wed')?.severity).toBe('error');
  });

  it.each(['Married', 'married'])('%s is right under either policy', (display) => {
    expect(displayIssue(lenient, display)).toBeUndefined();
    expect(displayIssue(strict, display)).toBeUndefined();
  });
});
