/** Where the oracle's tests find the HL7 test cases: `../shared/fhir-test-cases` beside the project. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../harness/paths.js';

export const TEST_CASES_DIR = join(PROJECT_ROOT, '..', 'shared', 'fhir-test-cases');
export const HAVE_TEST_CASES = existsSync(join(TEST_CASES_DIR, 'cases.json'));
