/** The shape of a lint rule and what it sees. */
import type { DataSpec } from '../../run-config/data-spec.js';
import type { CompileSpec } from '../../run-config/run-config.js';
import type { Finding, FindingKind, Remedy, Severity } from '../types.js';
import type { LayerView } from './layer-view.js';

export interface LintContext {
  layers: LayerView[];
  data: DataSpec | undefined;
  compile: CompileSpec | undefined;
  /** The model uses SELU somewhere, so the self-normalization conditions apply. */
  usesSelu: boolean;
  /** The batch size training uses, when known. */
  batchSize?: number;
}

export interface LintRule {
  code: string;
  kind: FindingKind;
  /** One line for documentation. */
  title: string;
  check(ctx: LintContext): Finding[];
}

/** A lint finding in the common shape. */
export function lintFinding(
  code: string,
  kind: FindingKind,
  severity: Severity,
  layers: LayerView[],
  message: string,
  remedies: Remedy[],
  evidence: Record<string, unknown> = {},
): Finding {
  return { kind, code, severity, layers: layers.map((l) => l.name), source: 'lint', message, evidence, remedies };
}
