/**
 * Where terminology definitions come from. The DefinitionRegistry implements this; tests use small
 * in-memory sources. Nothing here ever reaches a terminology server.
 */
export interface TerminologySource {
  /** canonical may carry |version; returns undefined when unknown */
  codeSystem(canonical: string): fhir4.CodeSystem | undefined;
  valueSet(canonical: string): fhir4.ValueSet | undefined;
}

/** Splits `url|version` into its parts; a canonical without `|` has no version. */
export function splitCanonical(canonical: string): { url: string; version?: string } {
  const bar = canonical.indexOf('|');
  if (bar < 0) return { url: canonical };
  return { url: canonical.slice(0, bar), version: canonical.slice(bar + 1) || undefined };
}

/**
 * Resolves a canonical, ignoring a version pin we cannot honour: the validator checks against the
 * version it holds rather than failing (as the HL7 validator does when working locally).
 */
export function resolveVersioned<T>(canonical: string, find: (c: string) => T | undefined): T | undefined {
  try {
    const exact = find(canonical);
    if (exact !== undefined) return exact;
    const { url, version } = splitCanonical(canonical);
    return version === undefined ? undefined : find(url);
  } catch {
    // A source fault must not turn into a validator fault: the definition is simply unavailable.
    return undefined;
  }
}
