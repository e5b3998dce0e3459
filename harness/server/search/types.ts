/** The search engine's public types (search.html). */

export type SearchParameterType =
  'string' | 'token' | 'reference' | 'date' | 'number' | 'quantity' | 'uri' | 'composite' | 'special';

export interface SearchParameterInfo {
  code: string;
  type: SearchParameterType;
  url: string;
  expression?: string;
  base: string[];
  targets?: string[];
  documentation?: string;
}

export interface ResourceKey {
  type: string;
  id: string;
}

export interface SearchResult {
  /**
   * The matches, in order (by _sort, else by lastUpdated descending, then id, for a stable order); only
   * those inside the window when one was asked for.
   */
  matches: ResourceKey[];
  /** How many resources match in all (Bundle.total), window or not. */
  total: number;
  /** The parameters used, normalised, for the self link (unknown ones left out). */
  used: [string, string][];
  /** Parameters not understood (unknown name, unknown modifier, unsupported type): name and why. */
  unknown: { name: string; reason: string }[];
}

/**
 * The page a caller wants: with it, only that slice of the ordered matches is built, so a large match set
 * (gender=female over 100,000 Patients) costs a walk to the page instead of ordering everything.
 */
export interface SearchWindow {
  offset: number;
  count: number;
}

/** A bad value: the handler answers 400 with this text. */
export type SearchError = { error: string; parameter: string };

export function isSearchError(value: unknown): value is SearchError {
  return typeof value === 'object' && value !== null && 'error' in value && 'parameter' in value;
}
