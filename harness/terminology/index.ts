/** Local terminology: ValueSet expansion and code membership, with no terminology server. */
export { Terminology, type TerminologyOptions } from './code-validator.js';
export {
  DEFAULT_MAX_EXPANSION,
  type CodeCheck,
  type ExpansionContains,
  type ExpansionResult,
  type LookupResult,
  type UncheckedCode,
} from './code-check.js';
export { type TerminologySource, splitCanonical } from './source.js';
export { CodeSystemIndex, type ConceptEntry } from './code-system-index.js';
export { externalSystem, type ExternalSystem } from './external-systems.js';
