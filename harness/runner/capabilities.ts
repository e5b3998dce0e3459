/**
 * Capability planning: what the target declares in its CapabilityStatement, and which needs of a
 * scenario or step it does not declare (those are skipped, or failed with strictCapabilities).
 */
import type { CapabilityMode, Needs, Reply } from './types.js';

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

/**
 * Why the answer to `GET [base]/metadata` shows the base is not a FHIR server's, or undefined when it is
 * one (or when the run was told to go on regardless: `ignore`). Credentials refused and a base that
 * answers something else than a CapabilityStatement are the configuration's fault; a server error is
 * the infrastructure's.
 */
export function notAFhirBase(
  reply: Reply,
  mode: CapabilityMode,
): { kind: 'configuration' | 'infrastructure'; message: string } | undefined {
  const body = reply.json as { resourceType?: unknown } | undefined;
  if (reply.status === 200 && body?.resourceType === 'CapabilityStatement') return undefined;
  if (reply.status === 401 || reply.status === 403)
    return {
      kind: 'configuration',
      message: `the target refused the credentials: GET [base]/metadata answered ${reply.status}; check --auth`,
    };
  if (reply.status >= 500)
    return {
      kind: 'infrastructure',
      message: `the target failed: GET [base]/metadata answered ${reply.status}`,
    };
  if (mode === 'ignore') return undefined;
  return {
    kind: 'configuration',
    message:
      `the URL is not a FHIR base: GET [base]/metadata answered ${describeAnswer(reply)}, not a ` +
      'CapabilityStatement; check the base URL (or pass --capabilities ignore to run anyway)',
  };
}

/** What an answer holds, in a few words: `404 (text/plain)`, `an HTML page`, `a Bundle`. */
function describeAnswer(reply: Reply): string {
  const type = (reply.headers['content-type'] ?? '').split(';')[0]?.trim() || 'no content type';
  const body = reply.json as { resourceType?: unknown } | undefined;
  if (reply.status !== 200) return `${reply.status} (${type})`;
  if (/html/i.test(type) || /^\s*<(!doctype|html)/i.test(reply.text)) return 'an HTML page';
  if (body === undefined) return `a body that is not JSON (${type})`;
  return typeof body.resourceType === 'string' ? `a ${body.resourceType}` : 'JSON without a resourceType';
}
