/**
 * The IG's own invariants: each one holds on every example of its profile, and each one catches the
 * broken copy of an example that it exists to catch. A new invariant without a case here fails the suite.
 */
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { describe, expect, it } from 'vitest';
import { CANONICAL, generatedIg } from '../support/generated-ig.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- examples are edited freely here

interface InvariantCase {
  /** `<profile id>:<constraint key>` */
  id: string;
  /** The example to break, as Type/id. */
  example: string;
  /** Makes the example break the rule. */
  breakIt: (resource: Json) => void;
  /** Selects the nodes the constraint applies to, when it sits below the root (slices included). */
  context?: string;
}

const CASES: InvariantCase[] = [
  {
    id: 'openimis-patient:insureeCodeMustBeUnder13Chars',
    example: 'Patient/john-doe',
    context: "identifier.where(type.coding.code = 'Code').value",
    breakIt: (p) =>
      (p.identifier.find((i: Json) => i.type.coding[0].code === 'Code').value = '1234567890123'),
  },
  {
    id: 'openimis-patient:oi-patient-1',
    example: 'Patient/john-doe',
    breakIt: (p) => (p.birthDate = '2999-01-01'),
  },
  { id: 'openimis-claim:oi-claim-1', example: 'Claim/Claim001', breakIt: (c) => (c.total.value += 10) },
  {
    id: 'openimis-claim:oi-claim-2',
    example: 'Claim/Claim001',
    breakIt: (c) => (c.billablePeriod = { start: '2025-09-16', end: '2025-09-15' }),
  },
  {
    id: 'openimis-claim:oi-claim-3',
    example: 'Claim/Claim001',
    breakIt: (c) => (c.item[1].sequence = c.item[0].sequence),
  },
  {
    id: 'openimis-claim:oi-claim-4',
    example: 'Claim/Claim001',
    breakIt: (c) => c.diagnosis.push({ ...c.diagnosis[0] }),
  },
  {
    id: 'openimis-claim-response:oi-clmresp-1',
    example: 'ClaimResponse/Claim001',
    breakIt: (r) => (r.item[0].adjudication[0].amount.value = -1),
  },
  {
    id: 'openimis-claim-response:oi-clmresp-2',
    example: 'ClaimResponse/Claim001',
    breakIt: (r) => (r.item[1].itemSequence = r.item[0].itemSequence),
  },
  {
    id: 'openimis-claim-response:oi-clmresp-3',
    example: 'ClaimResponse/Claim001',
    breakIt: (r) => r.total.push(structuredClone(r.total[0])),
  },
  {
    id: 'openimis-communication:oi-comm-1',
    example: 'Communication/Claim001-feedback',
    breakIt: (c) => (c.payload[0].contentString = 'maybe'),
  },
  {
    id: 'openimis-coverage-eligibility-response:oi-elig-1',
    example: 'CoverageEligibilityResponse/john-doe-eligibility',
    breakIt: (r) => (r.insurance[0].benefitPeriod = { start: '2026-06-30', end: '2025-07-01' }),
  },
  {
    id: 'openimis-coverage:oi-coverage-1',
    example: 'Coverage/doe-family-coverage',
    breakIt: (c) => (c.period.end = c.period.start),
  },
  {
    id: 'openimis-contract:oi-contract-1',
    example: 'Contract/doe-family-policy',
    breakIt: (c) => (c.term[0].asset[0].usePeriod[0].end = '2099-12-31'),
  },
  {
    id: 'openimis-invoice-invoice:oi-invoice-1',
    example: 'Invoice/doe-family-contribution',
    breakIt: (i) => (i.totalGross.currency = 'USD'),
  },
  {
    id: 'openimis-invoice-bill:oi-invoice-1',
    example: 'Invoice/rapta-claim-batch',
    breakIt: (i) => (i.totalNet.currency = 'USD'),
  },
  {
    id: 'openimis-payment-notice:oi-payment-notice-1',
    example: 'PaymentNotice/doe-family-contribution-payment',
    breakIt: (n) => (n.amount.value = 0),
  },
  {
    id: 'openimis-payment-reconciliation:oi-payment-reconciliation-1',
    example: 'PaymentReconciliation/doe-family-contribution-payment',
    breakIt: (r) => (r.paymentAmount.value += 1),
  },
  {
    id: 'openimis-payment-reconciliation:oi-payment-reconciliation-2',
    example: 'PaymentReconciliation/doe-family-contribution-payment',
    breakIt: (r) => (r.detail[0].amount.currency = 'USD'),
  },
  {
    id: 'openimis-subscription:oi-subscription-1',
    example: 'Subscription/insuree-updates',
    breakIt: (s) => (s.status = 'requested'),
  },
];

const ig = generatedIg();

/** Every constraint the IG's profiles add, with the profile and element that carry it. */
const invariants = ig.profiles.flatMap((profile) =>
  (profile.differential?.element ?? []).flatMap((element) =>
    (element.constraint ?? []).map((constraint) => ({
      profile,
      element,
      constraint,
      id: `${profile.id}:${constraint.key}`,
    })),
  ),
);

function evaluate(expression: string, resource: Json, context: string | undefined): unknown[] {
  // Synchronous evaluation: no async functions are enabled, so the results are arrays, not promises.
  const nodes = context ? (fhirpath.evaluate(resource, context, undefined, r4) as unknown[]) : [resource];
  return nodes.flatMap((node) => fhirpath.evaluate(node as Json, expression, { resource }, r4) as unknown[]);
}

describe('the IG invariants', () => {
  it('every invariant of a profile has a case here, and every case an invariant', () => {
    expect(invariants.map((i) => i.id).sort()).toEqual(CASES.map((c) => c.id).sort());
  });

  it('the published insuree-code invariant is kept under its published key', () => {
    expect(invariants.map((i) => i.id)).toContain('openimis-patient:insureeCodeMustBeUnder13Chars');
  });

  it('at least six business rules beyond the published one', () => {
    expect(new Set(invariants.map((i) => i.constraint.key)).size - 1).toBeGreaterThanOrEqual(6);
  });

  describe.each(invariants)('$id', ({ profile, constraint, id }) => {
    const testCase = CASES.find((c) => c.id === id);
    const expression = constraint.expression ?? '';
    const examples = ig.examples.filter((e) => e.profile === profile.url);

    it('is a valid FHIRPath expression with a key, a severity and a human description', () => {
      expect(() => fhirpath.compile(expression, r4)).not.toThrow();
      expect(['error', 'warning']).toContain(constraint.severity);
      expect(constraint.human).toBeTruthy();
      expect(profile.url?.startsWith(CANONICAL)).toBe(true);
    });

    it('holds on every example of its profile', () => {
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        expect(evaluate(expression, example.resource as Json, testCase?.context), example.reference).toEqual(
          expect.arrayContaining([true]),
        );
        expect(evaluate(expression, example.resource as Json, testCase?.context)).not.toContain(false);
      }
    });

    it('catches the broken copy of its example', () => {
      expect(testCase, `add a case for ${id}`).toBeDefined();
      if (!testCase) return;
      const example = ig.examples.find((e) => e.reference === testCase.example);
      expect(example?.profile).toBe(profile.url);
      const broken = structuredClone(example?.resource) as Json;
      testCase.breakIt(broken);
      expect(evaluate(expression, broken, testCase.context)).toContain(false);
    });
  });
});
