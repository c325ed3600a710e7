/** Draws the lab's live charts from the run state (the report's chart functions, re-rendered as SVG). */
import { lineChart, type Series } from '../../src/report/html/charts/line-chart.js';
import { layerBars } from '../../src/report/html/charts/bars.js';
import { heatmap } from '../../src/report/html/charts/heatmap.js';
import { ridgeline, type HistogramSet } from '../../src/report/html/charts/ridgeline.js';
import { findingsList } from '../../src/report/html/findings.js';
import { gradientBars, gradientHeatmap, lossByStep } from '../../src/report/html/series.js';
import {
  emptyProbeHistory,
  type Finding,
  type ProbeHistory,
  type StepRecord,
} from '../../src/report/doctor-adapter.js';
import type { DecisionGrid } from './protocol.js';
import { boundaryChart } from './boundary.js';

/** What a finished (or replaced) run leaves for the next one to be drawn against, faded. */
export interface PreviousRun {
  label: string;
  loss: [number, number][];
  gradNorm: [number, number][];
}

export interface RunState {
  probe: ProbeHistory;
  histograms: HistogramSet | null;
  staticFindings: Finding[];
  trialFindings: Finding[];
  valLoss: [number, number][];
  stepsPerEpoch: number;
  task: 'classify' | 'regress';
  /** The clipping threshold on the global (or per-variable) gradient norm, drawn as a reference line. */
  clipNorm: { kind: string; value: number } | null;
  points: { x: number[]; y: number[]; label: number[] } | null;
  grid: DecisionGrid | null;
  /** The run stopped on a NaN/Inf (the gradient exploded). */
  nonFinite: boolean;
  /** A short name for the run's settings (the legend names the previous run with it). */
  label: string;
  previous: PreviousRun | null;
}

export function newRunState(): RunState {
  return {
    probe: emptyProbeHistory(5),
    histograms: null,
    staticFindings: [],
    trialFindings: [],
    valLoss: [],
    stepsPerEpoch: 1,
    task: 'classify',
    clipNorm: null,
    points: null,
    grid: null,
    nonFinite: false,
    label: '',
    previous: null,
  };
}

/** The global gradient norm (before clipping) at each sampled step. */
export function gradNormBySteps(s: RunState): [number, number][] {
  return s.probe.steps.map((r) => [r.step, r.globalGradNorm] as [number, number]);
}

/** The curves a run leaves behind when another replaces it. */
export function previousOf(s: RunState): PreviousRun | null {
  if (s.probe.losses.length === 0) return null;
  return { label: s.label, loss: lossByStep(s.probe.losses, 300), gradNorm: thinPoints(gradNormBySteps(s), 400) };
}

function thinPoints(p: [number, number][], max: number): [number, number][] {
  if (p.length <= max) return p;
  return Array.from({ length: max }, (_, i) => p[Math.round((i * (p.length - 1)) / (max - 1))]!);
}

/** The latest record whose gradients are all finite and not all zero (a NaN step has neither). */
function lastFinite(s: RunState): StepRecord | undefined {
  for (let i = s.probe.steps.length - 1; i >= 0; i--) {
    const g = s.probe.steps[i]!.layers.map((l) => l.gradNorm).filter((v): v is number => v !== null);
    if (g.length > 0 && g.every(finite) && g.some((v) => v > 0)) return s.probe.steps[i];
  }
  return undefined;
}

function view(name: string): HTMLElement {
  return document.querySelector<HTMLElement>(`[data-view="${name}"]`)!;
}

/** Replaces a view's content only when it changed (keeps focus and open <details> in the findings). */
function put(name: string, html: string): void {
  const el = view(name);
  if (el.dataset.html !== html) {
    el.innerHTML = html;
    el.dataset.html = html;
  }
}

/** Shows a panel only when it applies to the run (the boundary for 2-D sets, time for recurrent layers). */
function show(name: string, on: boolean): void {
  const panel = view(name).closest<HTMLElement>('.panel');
  if (panel !== null) panel.hidden = !on;
}

const finite = (v: number) => Number.isFinite(v);
const sig = (v: number) => (finite(v) ? v.toPrecision(4) : String(v));

/** A series of the previous run, drawn faded (the stylesheet fades series whose name starts with "previous"). */
function prev(name: string, points: [number, number][]): Series {
  return { name: `previous run: ${name}`, points, style: 6, markers: points.length < 30 };
}

export function renderViews(s: RunState): void {
  renderLoss(s);
  renderGradSteps(s);
  put(
    'grad-bars',
    layerBars(gradientBars(lastFinite(s)), {
      label: 'Kernel-gradient norm per layer at the latest sampled step with finite gradients (first layer on top)',
      valueLabel: '‖∇W‖',
      width: 460,
      rowHeight: 11,
    }),
  );
  put(
    'grad-heatmap',
    heatmap(gradientHeatmap(s.probe, 120), {
      label: 'Kernel-gradient norm per layer over training steps',
      valueLabel: '‖∇W‖',
      width: 900,
      rowHeight: 10,
    }),
  );
  renderThroughTime(s);
  show('boundary', s.points !== null);
  if (s.points !== null) {
    put('boundary', boundaryChart(s.points, s.grid));
    view('boundary').dataset.gridStep = String(s.grid?.step ?? -1);
  }
  renderHistograms(s.histograms);
  const findings = [...s.trialFindings, ...s.staticFindings];
  view('findings').dataset.kinds = [...new Set(s.trialFindings.map((f) => f.kind))].join(' ');
  put('findings', findingsList(findings));
}

function renderLoss(s: RunState): void {
  const loss: Series[] = [
    {
      name: `training loss${s.task === 'regress' ? ' (MSE)' : ''}, moving average`,
      points: lossByStep(s.probe.losses, 300),
    },
  ];
  if (s.valLoss.length > 0)
    loss.push({ name: 'validation loss (per epoch)', points: s.valLoss, style: 1, markers: s.valLoss.length < 40 });
  if (s.previous !== null) loss.push(prev(s.previous.label, s.previous.loss));
  const refLines = s.task === 'regress' ? [{ y: 1 / 6, label: 'always answering 1 (MSE 0.167)' }] : [];
  put(
    'loss',
    lineChart(loss, {
      label: 'Training and validation loss by step',
      xLabel: 'training step',
      yLabel: 'loss',
      logY: 'auto',
      refLines,
      width: 460,
      height: 230,
    }),
  );
}

/**
 * The global gradient norm (all weights together, before clipping) at each sampled step, log scale, with the
 * clipping threshold. Its numbers are on the view as data attributes (read by the browser tests): the first,
 * the largest and the latest finite norm, how many steps were sampled, and whether the run stopped on NaN/Inf.
 */
function renderGradSteps(s: RunState): void {
  const pts = gradNormBySteps(s);
  const series: Series[] = [{ name: 'global gradient norm (before clipping)', points: pts, markers: pts.length < 30 }];
  if (s.previous !== null) series.push(prev(s.previous.label, s.previous.gradNorm));
  const refLines =
    s.clipNorm === null ? [] : [{ y: s.clipNorm.value, label: `${s.clipNorm.kind} ${s.clipNorm.value}` }];
  put(
    'grad-steps',
    lineChart(series, {
      label: 'Global gradient norm by training step',
      xLabel: 'training step',
      yLabel: '‖∇‖',
      logY: true,
      refLines,
      width: 460,
      height: 230,
    }),
  );
  const ok = pts.map((p) => p[1]).filter(finite);
  const d = view('grad-steps').dataset;
  d.records = String(pts.length);
  d.head = pts
    .slice(0, 8)
    .map((p) => sig(p[1]))
    .join(' ');
  d.first = sig(ok[0] ?? NaN);
  d.max = sig(ok.length > 0 ? Math.max(...ok) : NaN);
  d.last = sig(ok.at(-1) ?? NaN);
  d.nonFinite = s.nonFinite || pts.some((p) => !finite(p[1])) ? '1' : '0';
}

/**
 * ‖∂L/∂h_t‖ against the time step t for the first recurrent layer: at the first sampled step, the latest, and
 * the one where the gradient at t = 0 was largest. Data attributes: the growth h₀/h_{T−1} at the first and the
 * latest step, the largest finite norm over the run.
 */
function renderThroughTime(s: RunState): void {
  const traced = s.probe.steps
    .map((r) => ({
      step: r.step,
      norms: r.layers.find((l) => l.gradNormsThroughTime !== undefined)?.gradNormsThroughTime,
    }))
    .filter((r): r is { step: number; norms: number[] } => r.norms !== undefined && r.norms.length > 0);
  show('through-time', traced.length > 0);
  if (traced.length === 0) return;
  const curve = (r: { step: number; norms: number[] }): [number, number][] => r.norms.map((v, t) => [t, v]);
  const first = traced[0]!,
    last = traced.at(-1)!;
  const h0 = (r: { norms: number[] }) => (finite(r.norms[0]!) ? r.norms[0]! : Infinity);
  const worst = traced.reduce((a, b) => (h0(b) > h0(a) ? b : a));
  const series: Series[] = [{ name: `step ${first.step}`, points: curve(first), markers: true, style: 0 }];
  if (worst !== first && worst !== last)
    series.push({ name: `step ${worst.step} (largest at t = 0)`, points: curve(worst), markers: true, style: 1 });
  if (last !== first) series.push({ name: `step ${last.step} (latest)`, points: curve(last), markers: true, style: 2 });
  const T = first.norms.length;
  put(
    'through-time',
    lineChart(series, {
      label: 'Gradient norm through time: ‖∂L/∂h_t‖ at each time step t',
      xLabel: `time step t (the loss is read at t = ${T - 1})`,
      yLabel: '‖∂L/∂h_t‖',
      logY: true,
      integerX: true,
      width: 460,
      height: 230,
    }),
  );
  const growth = (r: { norms: number[] }) => r.norms[0]! / r.norms.at(-1)!;
  const all = traced.flatMap((r) => r.norms).filter(finite);
  const d = view('through-time').dataset;
  d.steps = String(traced.length);
  d.growthFirst = sig(growth(first));
  d.growthLast = sig(growth(last));
  d.max = sig(all.length > 0 ? Math.max(...all) : NaN);
  d.lastStep = String(last.step);
}

function renderHistograms(h: HistogramSet | null): void {
  put(
    'activations',
    ridgeline(h, {
      label:
        `Distribution of each layer's outputs${h ? ` at step ${h.step}` : ''} (axis: the typical layer's ` +
        `2nd–98th percentile; a triangle marks values beyond it)`,
      width: 460,
      rowHeight: 11,
    }),
  );
  if (h !== null) {
    const d = view('activations').dataset;
    d.lo = sig(h.lo);
    d.hi = sig(h.hi);
  }
}
