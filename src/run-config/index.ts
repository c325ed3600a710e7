/** Run configs (JSON files describing data, model, compile and fit). */
export {
  parseRunConfig,
  buildModel,
  loadRunData,
  fitArgsOf,
  checkDataFitsModel,
  planModel,
  runFingerprint,
  fingerprintDifferences,
  type RunConfig,
  type CompileSpec,
  type FitSpec,
} from './run-config.js';
export { expandModelSpec, buildSequential, planLayers, MAX_CONFIG_PARAMS, type ModelPlan } from './model-spec.js';
export { loadData, parseDataSpec, type DataSpec, type LoadedData } from './data-spec.js';
