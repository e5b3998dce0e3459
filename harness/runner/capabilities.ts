/**
 * Capability planning: what the target declares in its CapabilityStatement, and which needs of a
 * scenario or step it does not declare (those are skipped, or failed with strictCapabilities).
 */
import type { Needs, Reply } from './types.js';

export class CapabilityPlan {
  private readonly resources = new Set<string>();
  /** `Type:interaction` and system-level interaction codes. */
  private readonly interactions = new Set<string>();
  /** Operation names without the `$`. */
  private readonly operations = new Set<string>();

  private constructor(
    readonly statement: fhir4.CapabilityStatement | undefined,
    /** Why the plan declares nothing, when the target did not answer a CapabilityStatement. */
    readonly note?: string,
  ) {
    for (const rest of statement?.rest ?? []) {
      if (rest.mode === 'client') continue;
      for (const interaction of rest.interaction ?? []) this.interactions.add(interaction.code);
      for (const operation of rest.operation ?? []) this.operations.add(bare(operation.name));
      for (const resource of rest.resource ?? []) {
        this.resources.add(resource.type);
        for (const interaction of resource.interaction ?? [])
          this.interactions.add(`${resource.type}:${interaction.code}`);
        for (const operation of resource.operation ?? []) this.operations.add(bare(operation.name));
      }
    }
  }

  /** From the answer to `GET [base]/metadata` (a transport failure is the engine's business). */
  static fromMetadata(reply: Reply): CapabilityPlan {
    const body = reply.json as { resourceType?: unknown } | undefined;
    if (reply.status === 200 && body?.resourceType === 'CapabilityStatement') {
      return new CapabilityPlan(body as fhir4.CapabilityStatement);
    }
    const found =
      reply.status !== 200
        ? `answered ${reply.status}`
        : body === undefined
          ? 'answered a body that is not JSON'
          : `answered a ${typeof body.resourceType === 'string' ? body.resourceType : 'JSON body without resourceType'}`;
    return new CapabilityPlan(
      undefined,
      `GET [base]/metadata ${found}, not a CapabilityStatement, so the target declares nothing`,
    );
  }

  static declaring(statement: fhir4.CapabilityStatement | undefined): CapabilityPlan {
    return new CapabilityPlan(statement);
  }

  /** The needs the target does not declare, as `Patient`, `Patient:create`, `transaction`, `$validate`. */
  missing(needs: Needs | undefined): string[] {
    if (!needs) return [];
    const missing: string[] = [];
    for (const type of needs.resources ?? []) if (!this.resources.has(type)) missing.push(type);
    for (const interaction of needs.interactions ?? [])
      if (!this.interactions.has(interaction)) missing.push(interaction);
    for (const operation of needs.operations ?? []) {
      if (!this.operations.has(bare(operation))) missing.push(`$${bare(operation)}`);
    }
    return missing;
  }

  /** Whether the statement lists the resource type, but not this interaction on it. */
  declaresWithout(type: string, interaction: string): boolean {
    return this.resources.has(type) && !this.interactions.has(`${type}:${interaction}`);
  }

  supports(needs: Needs): boolean {
    return this.missing(needs).length === 0;
  }

  /** "the target does not declare Patient:history-instance" (with the reason it declares nothing). */
  explain(missing: string[]): string {
    const sentence = `the target does not declare ${missing.join(', ')}`;
    return this.note ? `${sentence} (${this.note})` : sentence;
  }
}

function bare(name: string): string {
  return name.replace(/^\$/, '');
}
