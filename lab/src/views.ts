/** Draws the lab's live charts from the run state (the report's chart functions, re-rendered as SVG). */
import { lineChart } from '../../src/report/html/charts/line-chart.js';
import { layerBars } from '../../src/report/html/charts/bars.js';
import { heatmap } from '../../src/report/html/charts/heatmap.js';
import { ridgeline, type HistogramSet } from '../../src/report/html/charts/ridgeline.js';
import { findingsList } from '../../src/report/html/findings.js';
import { gradientBars, gradientHeatmap, lossByStep } from '../../src/report/html/series.js';
import { emptyProbeHistory, type Finding, type ProbeHistory } from '../../src/report/doctor-adapter.js';

export interface RunState {
  probe: ProbeHistory;
  histograms: HistogramSet | null;
  staticFindings: Finding[];
  trialFindings: Finding[];
  valLoss: [number, number][];
  stepsPerEpoch: number;
}

export function newRunState(): RunState {
  return {
    probe: emptyProbeHistory(5),
    histograms: null,
    staticFindings: [],
    trialFindings: [],
    valLoss: [],
    stepsPerEpoch: 1,
  };
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

export function renderViews(s: RunState): void {
  const loss = [{ name: 'training loss (moving average)', points: lossByStep(s.probe.losses, 300) }];
  if (s.valLoss.length > 0) loss.push({ name: 'validation loss (per epoch)', points: s.valLoss });
  put(
    'loss',
    lineChart(
      loss.map((x, i) => ({ ...x, style: i, markers: i === 1 && s.valLoss.length < 40 })),
      {
        label: 'Training and validation loss by step',
        xLabel: 'training step',
        yLabel: 'loss',
        width: 460,
        height: 230,
      },
    ),
  );
  put(
    'grad-bars',
    layerBars(gradientBars(s.probe.steps.at(-1)), {
      label: 'Kernel-gradient norm per layer at the latest sampled step (first layer on top)',
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
  put(
    'activations',
    ridgeline(s.histograms, {
      label: `Distribution of each layer's outputs${s.histograms ? ` at step ${s.histograms.step}` : ''}`,
      width: 460,
      rowHeight: 11,
    }),
  );
  const findings = [...s.trialFindings, ...s.staticFindings];
  view('findings').dataset.kinds = [...new Set(s.trialFindings.map((f) => f.kind))].join(' ');
  put('findings', findingsList(findings));
}
