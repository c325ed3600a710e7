/**
 * `health.diagnose`: one entry for both forms. A model built in code with its data, or a run config.
 *
 * @example
 *   await health.diagnose(model, { x, y }, { steps: 150 });      // a compiled model
 *   await health.diagnose(parseRunConfig('run.json'));           // a run config (what `keel doctor` runs)
 */
import type { Model } from '../nn/functional.js';
import type { Tensor } from '../tensor/tensor.js';
import type { RunConfig } from '../run-config/run-config.js';
import { diagnoseModel, type DiagnoseModelOptions, type ModelDiagnosis } from './diagnose-model.js';
import { diagnose as diagnoseRunConfig, type Diagnosis, type DoctorOptions } from './doctor.js';

export function diagnose(
  model: Model,
  data: { x: Tensor; y: Tensor },
  opts?: DiagnoseModelOptions,
): Promise<ModelDiagnosis>;
export function diagnose(config: RunConfig, opts?: DoctorOptions): Promise<Diagnosis>;
export function diagnose(
  subject: Model | RunConfig,
  a?: { x: Tensor; y: Tensor } | DoctorOptions,
  b?: DiagnoseModelOptions,
): Promise<ModelDiagnosis | Diagnosis> {
  if ('layers' in subject && 'source' in subject && 'fit' in subject && 'compile' in subject && !('run' in subject))
    return diagnoseRunConfig(subject, a as DoctorOptions | undefined);
  const data = a as { x: Tensor; y: Tensor } | undefined;
  if (data === undefined || data.x === undefined || data.y === undefined)
    throw new Error('health.diagnose(model, { x, y }, opts): give the training data as { x, y } tensors');
  return diagnoseModel(subject as Model, data, b);
}
