/** The scenarios that ship with the tool: what `openimis-fhir test` runs when given no --scenarios. */
import type { ScenarioDefinition } from '../runner/types.js';
import { claimScenario } from './claim.js';
import { eligibilityScenario } from './eligibility.js';
import { enrollmentScenario } from './enrollment.js';
import { mflSyncScenario } from './mfl-sync.js';
import { patientLookupScenario } from './patient-lookup.js';
import { paymentScenario } from './payment.js';
import { subscriptionScenario } from './subscription.js';
import { restBaseline } from './rest-baseline/index.js';

export {
  claimScenario,
  eligibilityScenario,
  enrollmentScenario,
  mflSyncScenario,
  patientLookupScenario,
  paymentScenario,
  restBaseline,
  subscriptionScenario,
};

export const builtInScenarios: ScenarioDefinition[] = [
  restBaseline,
  claimScenario,
  eligibilityScenario,
  enrollmentScenario,
  patientLookupScenario,
  paymentScenario,
  subscriptionScenario,
  mflSyncScenario,
];
