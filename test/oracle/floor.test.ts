/**
 * The whole oracle on the HL7 test cases, held to a floor that only rises: exact error count and recall
 * may not fall below test/oracle/floor.json, the false-positive rate may not rise above it. The test
 * prints the current numbers so the floor can be raised (or the ceiling lowered) as the validator grows.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildReport, CORE_TIERS_LABEL } from '../../harness/oracle/report.js';
import { hl7DefaultsBinding, runOracle } from '../../harness/oracle/run.js';
import { HAVE_TEST_CASES, TEST_CASES_DIR } from '../support/hl7-test-cases.js';

interface Floor {
  exactErrorCount: number;
  recall: number;
  falsePositiveRate: number;
}

const floors = JSON.parse(
  readFileSync(fileURLToPath(new URL('floor.json', import.meta.url)), 'utf8'),
) as Record<string, Floor>;
const skipReason = HAVE_TEST_CASES ? undefined : `${TEST_CASES_DIR}/cases.json is absent`;
if (skipReason) console.warn(`[oracle] floor test skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('the oracle floor on the HL7 test cases', () => {
  it(`${CORE_TIERS_LABEL} stays at or above the floor`, { timeout: 600_000 }, () => {
    const result = runOracle(TEST_CASES_DIR, hl7DefaultsBinding);
    if (result instanceof Error) throw result;
    const report = buildReport(result);
    const current = report.combined[CORE_TIERS_LABEL];
    const currentRates = current?.rates;
    const floor = floors[CORE_TIERS_LABEL];
    if (!current || !currentRates || !floor) throw new Error(`no ${CORE_TIERS_LABEL} numbers or floor`);

    const round = (value: number) => Math.floor(value * 1000) / 1000;
    const numbers = {
      exactErrorCount: round(currentRates.exactErrorCount),
      recall: round(currentRates.recall),
      falsePositiveRate: Math.ceil(currentRates.falsePositiveRate * 1000) / 1000,
    };
    const slowest = [...result.results].sort((a, b) => b.millis - a.millis).slice(0, 3);
    console.log(
      `[oracle] ${CORE_TIERS_LABEL}: ${current.runs} runs, ${current.notScored} not scored, ` +
        `${current.harnessErrors} harness errors, tp ${current.tp} fp ${current.fp} tn ${current.tn} fn ${current.fn}\n` +
        `[oracle] current ${JSON.stringify(numbers)} (floor ${JSON.stringify(floor)})\n` +
        `[oracle] slowest: ${slowest.map((r) => `${r.testCase.name} ${Math.round(r.millis)} ms`).join(', ')}`,
    );
    expect(numbers.exactErrorCount, 'exact error count fell below the floor').toBeGreaterThanOrEqual(
      floor.exactErrorCount,
    );
    expect(numbers.recall, 'recall fell below the floor').toBeGreaterThanOrEqual(floor.recall);
    expect(numbers.falsePositiveRate, 'false-positive rate rose above the ceiling').toBeLessThanOrEqual(
      floor.falsePositiveRate,
    );
  });
});
