export { RESULT_PARAMETERS, SearchEngine } from './engine.js';
export { includeValue, ITERATE } from './includes.js';
export {
  isSearchError,
  type ResourceKey,
  type SearchError,
  type SearchParameterInfo,
  type SearchParameterType,
  type SearchResult,
  type SearchWindow,
} from './types.js';
