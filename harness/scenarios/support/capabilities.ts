/**
 * What the target's CapabilityStatement says about one resource type, for steps that adapt their
 * expectations (a server that does not declare version-aware updates is not failed for ignoring If-Match).
 */
import type { StepContext } from '../../runner/types.js';

export function resourceCapability(
  t: StepContext,
  type: string,
): fhir4.CapabilityStatementRestResource | undefined {
  const server = t.capabilities?.rest?.find((rest) => rest.mode === 'server');
  return server?.resource?.find((resource) => resource.type === type);
}

/**
 * Whether the target declares a conditional interaction for `type`. Without a CapabilityStatement
 * nothing is known, and the step runs rather than skips.
 */
export function declaresConditional(
  t: StepContext,
  type: string,
  interaction: 'conditionalCreate' | 'conditionalUpdate' | 'conditionalDelete',
): boolean {
  if (t.capabilities === undefined) return true;
  const declared = resourceCapability(t, type)?.[interaction];
  return declared !== undefined && declared !== false && declared !== 'not-supported';
}
