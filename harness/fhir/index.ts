export {
  DefinitionRegistry,
  CORE_BASE,
  type CanonicalResource,
  type PackageLoadResult,
} from './definitions.js';
export { ensureCorePackage, CORE_PACKAGE_ID } from './core-package.js';
