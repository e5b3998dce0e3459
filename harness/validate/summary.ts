/**
 * The run's summary: resources, counts by resource type, issues by severity (and how many a baseline
 * suppressed), throughput and duration. Accumulated as results stream by; nothing per resource is kept.
 */
import type { Severity } from '../validator/index.js';
import type { ResourceResult } from './results.js';

/** How a result whose resource type could not be read is counted. */
export const UNKNOWN_TYPE = '(unknown)';

export interface RunSummary {
  files: number;
  resources: number;
  byResourceType: Record<string, number>;
  issues: Record<Severity, number>;
  suppressed: number;
  /** Inputs that could not be read during the run. */
  unreadable: number;
  durationMs: number;
  resourcesPerSecond: number;
}

export class SummaryCounter {
  private readonly started = performance.now();
  private readonly files = new Set<string>();
  private resources = 0;
  private readonly byType = new Map<string, number>();
  private readonly issues: Record<Severity, number> = { fatal: 0, error: 0, warning: 0, information: 0 };
  private suppressed = 0;
  private unreadable = 0;

  add(result: ResourceResult): void {
    this.files.add(result.file);
    this.resources++;
    const type = result.resourceType ?? UNKNOWN_TYPE;
    this.byType.set(type, (this.byType.get(type) ?? 0) + 1);
    for (const item of result.issues) this.issues[item.severity]++;
    this.suppressed += result.suppressed?.length ?? 0;
  }

  addUnreadable(): void {
    this.unreadable++;
  }

  get resourceCount(): number {
    return this.resources;
  }

  result(): RunSummary {
    const durationMs = Math.round(performance.now() - this.started);
    const byResourceType: Record<string, number> = {};
    for (const [type, count] of [...this.byType].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      byResourceType[type] = count;
    return {
      files: this.files.size,
      resources: this.resources,
      byResourceType,
      issues: { ...this.issues },
      suppressed: this.suppressed,
      unreadable: this.unreadable,
      durationMs,
      resourcesPerSecond: durationMs > 0 ? Math.round((this.resources * 1000) / durationMs) : this.resources,
    };
  }
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

/** The summary for people, a few lines. */
export function formatSummary(summary: RunSummary): string {
  const { issues } = summary;
  const types = Object.entries(summary.byResourceType)
    .map(([type, count]) => `${type} ${count.toLocaleString('en-US')}`)
    .join(', ');
  const lines = [
    `${plural(summary.resources, 'resource')} in ${plural(summary.files, 'file')}${types ? ` (${types})` : ''}`,
    `${plural(issues.fatal + issues.error, 'error')} (${issues.fatal} fatal), ${plural(issues.warning, 'warning')}, ` +
      `${issues.information.toLocaleString('en-US')} information` +
      (summary.suppressed > 0
        ? `; ${summary.suppressed.toLocaleString('en-US')} suppressed (baseline, --suppress)`
        : ''),
    `${(summary.durationMs / 1000).toFixed(2)} s, ${summary.resourcesPerSecond.toLocaleString('en-US')} resources/s`,
  ];
  if (summary.unreadable > 0) lines.push(`${plural(summary.unreadable, 'input')} could not be read`);
  return lines.join('\n');
}
