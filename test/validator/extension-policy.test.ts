/**
 * Unknown extensions under the two policies: the default warns; the strict one (the oracle's, like the
 * HL7 validator without allowed domains) refuses them, except in the namespaces of core and its
 * cross-version extensions, which the HL7 validator always holds.
 */
import { describe, expect, it } from 'vitest';
import { createValidator } from '../../harness/validator/index.js';

const lenient = createValidator();
const strict = createValidator({ unknownExtension: 'error' });

function severityOfUnknown(validator: typeof lenient, url: string): string | undefined {
  const result = validator.validateDetailed({
    resourceType: 'Patient',
    extension: [{ url, valueString: 'x' }],
  });
  return result.issues.find((issue) => issue.id === 'EXT_UNKNOWN')?.severity;
}

describe('an extension nobody defined', () => {
  const cases: [string, string, string][] = [
    ['core namespace', 'http://hl7.org/fhir/StructureDefinition/patient-not-yet-defined', 'warning'],
    ['cross-version namespace', 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Patient.x', 'warning'],
    ['terminology.hl7.org', 'http://terminology.hl7.org/StructureDefinition/ext-not-defined', 'warning'],
    ['an HL7 IG not loaded', 'http://hl7.org/fhir/uv/some-ig/StructureDefinition/ext', 'error'],
    ['another domain', 'https://example.net/fhir/StructureDefinition/ext', 'error'],
  ];

  it.each(cases)('in the %s: a warning by default', (_, url) => {
    expect(severityOfUnknown(lenient, url)).toBe('warning');
  });

  it.each(cases)('in the %s, under the strict policy: %s', (_, url, severity) => {
    expect(severityOfUnknown(strict, url)).toBe(severity);
  });
});
