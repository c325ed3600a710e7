/**
 * Lint: static rules on a model config (before building or training it). Each
 * finding has a code, a severity, the layers concerned, the reason in one
 * sentence and the fix. Rules live in lint/*-rules.ts.
 *
 * @example lintConfig(parseRunConfig('run.json')).forEach((f) => console.log(f.code, f.message));
 */
import type { KerasObject } from '../nn/keras-config.js';
import type { Model } from '../nn/functional.js';
import type { DataSpec } from '../run-config/data-spec.js';
import type { CompileSpec } from '../run-config/run-config.js';
import { viewLayers } from './lint/layer-view.js';
import { seluRules } from './lint/selu-rules.js';
import { initRules } from './lint/init-rules.js';
import { normalizationRules } from './lint/normalization-rules.js';
import { recurrentRules } from './lint/recurrent-rules.js';
import { outputRules } from './lint/output-rules.js';
import type { LintRule } from './lint/rule.js';
import { SEVERITY_RANK, type Finding } from './types.js';

export const LINT_RULES: readonly LintRule[] = [
  ...outputRules,
  ...initRules,
  ...seluRules,
  ...normalizationRules,
  ...recurrentRules,
];

export interface LintInput {
  layers: readonly KerasObject[];
  data?: DataSpec;
  compile?: CompileSpec;
  /** Training settings (the batch size some rules judge). */
  fit?: { batch_size: number };
}

/**
 * Lint on a built model (Sequential or functional): its layers' configs in graph order, so rules about
 * merge layers (SELU's "no skip connections") see the model's real Add and Concatenate layers.
 * @example lintModel(model, { dataset: 'teacher' }).map((f) => f.code)
 */
export function lintModel(model: Model, data?: DataSpec): Finding[] {
  const layers = model.layers.map((l) => ({ class_name: l.className, config: l.getConfig() }));
  return lintConfig(data === undefined ? { layers } : { layers, data });
}

export function lintConfig(config: LintInput): Finding[] {
  const layers = viewLayers(config.layers, config.data);
  const usesSelu = layers.some((l) => l.activation === 'selu');
  const ctx = { layers, data: config.data, compile: config.compile, usesSelu, batchSize: config.fit?.batch_size };
  const findings = LINT_RULES.flatMap((rule) => rule.check(ctx));
  return findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}
