/**
 * The report's chart sections for one run. Each section is a <section> with a
 * `data-section` name (tests and the comparison page rely on the names).
 */
import { esc, fmt } from './svg.js';
import { lineChart } from './charts/line-chart.js';
import { heatmap } from './charts/heatmap.js';
import { ridgeline } from './charts/ridgeline.js';
import { findingsList } from './findings.js';
import {
  channelHeatmap,
  channelRows,
  epochSeries,
  gradientHeatmap,
  lossByStep,
  varianceByBlock,
  type ChannelRow,
} from './series.js';
import type { RunRecord } from './record.js';

export const SECTION_NAMES = [
  'loss-curves',
  'gradient-heatmap',
  'activations',
  'variance-by-depth',
  'findings',
] as const;
export type SectionName = (typeof SECTION_NAMES)[number];
/** Sections a run shows only when it has their data ('channels': a model with conv feature maps). */
export const OPTIONAL_SECTION_NAMES = ['channels'] as const;
export type OptionalSectionName = (typeof OPTIONAL_SECTION_NAMES)[number];

export interface SectionOptions {
  compact?: boolean;
}

function section(name: SectionName | OptionalSectionName, heading: string, body: string, note = ''): string {
  return (
    `<section data-section="${name}"><h3>${esc(heading)}</h3>${note ? `<p class="note">${note}</p>` : ''}` +
    `${body}</section>`
  );
}

export function lossSection(run: RunRecord, o: SectionOptions = {}): string {
  const w = o.compact ? 300 : 520;
  const h = o.compact ? 200 : 240;
  const charts = [
    figure(
      lineChart([{ name: 'batch loss (moving average)', points: lossByStep(run.probe.losses) }], {
        label: `Training loss by step: ${run.title}`,
        xLabel: 'training step',
        yLabel: 'loss',
        logY: 'auto',
        width: w,
        height: h,
      }),
      'Training loss, every step',
    ),
  ];
  const lossSeries = epochSeries(run.epochs, ['loss', 'val_loss']);
  const accSeries = epochSeries(run.epochs, ['accuracy', 'val_accuracy']);
  const which = (series: readonly { name: string }[]) =>
    series.some((x) => x.name.startsWith('validation')) ? 'train and validation' : 'train only: no validation data';
  if (lossSeries.some((x) => x.points.length > 1))
    charts.push(
      figure(
        lineChart(lossSeries, {
          label: `Loss by epoch: ${run.title}`,
          xLabel: 'epoch',
          yLabel: 'loss',
          logY: 'auto',
          integerX: true,
          width: w,
          height: h,
        }),
        `Loss by epoch (${which(lossSeries)})`,
      ),
    );
  if (accSeries.some((x) => x.points.length > 1))
    charts.push(
      figure(
        lineChart(accSeries, {
          label: `Accuracy by epoch: ${run.title}`,
          xLabel: 'epoch',
          yLabel: 'accuracy',
          integerX: true,
          yDomain: [0, 1],
          refLines: run.chance !== undefined ? [{ y: run.chance, label: `chance ${fmt(run.chance)}` }] : [],
          width: w,
          height: h,
        }),
        `Accuracy by epoch (${which(accSeries)}), on the full 0–1 scale`,
      ),
    );
  return section('loss-curves', 'Loss and accuracy', `<div class="grid">${charts.join('')}</div>`);
}

export function heatmapSection(run: RunRecord, o: SectionOptions = {}): string {
  const data = gradientHeatmap(run.probe, o.compact ? 80 : 150);
  const chart = heatmap(data, {
    label: `Gradient norm per layer over training: ${run.title}`,
    valueLabel: '‖∇W‖',
    width: o.compact ? 300 : 760,
    rowHeight: o.compact ? 8 : 14,
  });
  return section(
    'gradient-heatmap',
    'Gradient norm by layer over steps',
    figure(chart, 'Kernel-gradient L2 norm, first layer on top'),
    'Each row is a layer (input side on top), each column a sampled step; colour is the log of the gradient ' +
      'norm (viridis: dark = small). A dark top band means the first layers barely learn.',
  );
}

export function activationSection(run: RunRecord, o: SectionOptions = {}): string {
  const sets = o.compact ? run.histograms.filter((_, i, a) => i === 0 || i === a.length - 1) : run.histograms;
  const body =
    sets.length === 0
      ? '<p class="muted">No activations were sampled.</p>'
      : `<div class="grid">${sets.map((h) => stepFigure(h, run.title, o.compact === true)).join('')}</div>`;
  return section(
    'activations',
    'Activation distribution per layer',
    body,
    "Histogram of each layer's outputs over one batch, all layers on one x range. Spikes at 0 and 1 are " +
      'saturated sigmoids; a spike at 0 alone is a collapsing signal.',
  );
}

export function varianceSection(run: RunRecord, o: SectionOptions = {}): string {
  const v = varianceByBlock(run);
  const tick = (i: number) => (Number.isInteger(i) && i >= 1 && i <= v.blocks ? String(i) : '');
  const w = o.compact ? 300 : 520;
  const charts = [
    figure(
      lineChart(v.variance, {
        label: `Output variance by block, predicted and measured: ${run.title}`,
        xLabel: 'block (1 = first weighted layer and what follows it)',
        yLabel: 'variance',
        logY: true,
        integerX: true,
        width: w,
        xTickFormat: tick,
      }),
      "Output variance at each block's end",
    ),
    figure(
      lineChart(v.gradient, {
        label: `Kernel-gradient norm by block, predicted and measured: ${run.title}`,
        xLabel: 'block (its weighted layer)',
        yLabel: '‖∇W‖',
        logY: true,
        integerX: true,
        width: w,
        xTickFormat: tick,
      }),
      'Gradient norm by block',
    ),
  ];
  const note =
    (run.theory === null
      ? 'No theory prediction for this model; measured values only. '
      : "Predicted by variance propagation before training (the doctor's theory); measured at the first sampled " +
        'step. ') + `Layers are grouped per block: a block starts at a layer with weights (${esc(v.example)}).`;
  return section(
    'variance-by-depth',
    'Predicted vs measured variance by depth',
    `<div class="grid">${charts.join('')}</div>`,
    note,
  );
}

export function findingsSection(run: RunRecord, o: SectionOptions = {}): string {
  return section('findings', "The doctor's findings", findingsList(run.findings, { compact: o.compact === true }));
}

export function figure(svg: string, caption: string): string {
  return `<figure>${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}

export function summaryTable(summary: Record<string, string>): string {
  const rows = Object.entries(summary).map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`);
  return rows.length === 0 ? '' : `<table class="summary"><tbody>${rows.join('')}</tbody></table>`;
}

/**
 * Per channel of every layer with feature maps (conv, pooling, BN on images): the output std per channel at the
 * first and the last sampled step, and the dead channels (exactly 0 over the whole batch). Empty ('') for a run
 * without feature maps.
 */
export function channelSection(run: RunRecord, o: SectionOptions = {}): string {
  const first = channelRows(run.probe.steps[0]),
    lastRecord = run.probe.steps.at(-1);
  if (first.length === 0) return '';
  const last = channelRows(lastRecord);
  const chart = (rows: ChannelRow[], when: string) =>
    heatmap(channelHeatmap(rows), {
      label: `Output std per channel at ${when}: ${run.title}`,
      valueLabel: 'channel std',
      xLabel: 'channel',
      colName: 'channel',
      width: o.compact ? 300 : 520,
      rowHeight: o.compact ? 8 : 14,
    });
  const at = (rows: ChannelRow[], name: string) => rows.find((r) => r.layer === name);
  const cell = (r: ChannelRow | undefined) =>
    r === undefined
      ? '—'
      : `${r.dead.length} / ${r.std.length}` +
        (r.dead.length > 0 && r.dead.length <= 8 ? ` (#${r.dead.join(', #')})` : '') +
        `; std ${fmt(Math.min(...r.std))}–${fmt(Math.max(...r.std))}`;
  const lastStep = lastRecord?.step ?? 0;
  const table =
    `<div class="table-wrap"><table><caption>Dead channels and the spread of channel std</caption><thead><tr>` +
    `<th scope="col">layer</th><th scope="col">step 0</th><th scope="col">step ${lastStep}</th></tr></thead>` +
    `<tbody>${first
      .map(
        (r) =>
          `<tr><th scope="row">${esc(r.layer)} <span class="muted">${esc(r.className)}</span></th>` +
          `<td>${esc(cell(r))}</td><td>${esc(cell(at(last, r.layer)))}</td></tr>`,
      )
      .join('')}</tbody></table></div>`;
  return section(
    'channels',
    'Feature maps per channel',
    `<div class="grid">` +
      `${figure(chart(first, `step ${run.probe.steps[0]!.step}`), 'Channel std at the first sampled step')}` +
      `${figure(chart(last, `step ${lastStep}`), `Channel std at step ${lastStep}`)}</div>${table}`,
    'Each row is a layer with feature maps (input side on top), each column one of its channels; colour is the log ' +
      "of that channel's output std over the batch and every position (viridis: dark = small). Grey: a dead " +
      'channel (exactly 0 everywhere) or no such channel. A few dark or grey columns in a healthy-looking layer ' +
      'are channels that stopped carrying signal.',
  );
}

/** All sections of one run. */
export function runSections(run: RunRecord, o: SectionOptions = {}): string {
  // The findings first: they say what the charts below show.
  return [
    findingsSection(run, o),
    lossSection(run, o),
    heatmapSection(run, o),
    activationSection(run, o),
    varianceSection(run, o),
    channelSection(run, o),
  ].join('');
}

/** One step's activation ridgeline for the activations section, as a figure. */
function stepFigure(h: Parameters<typeof ridgeline>[0] & { step: number }, title: string, compact: boolean): string {
  return figure(activationRidgeline(h, title, compact), `Step ${h.step}`);
}

function activationRidgeline(
  h: Parameters<typeof ridgeline>[0] & { step: number },
  title: string,
  compact: boolean,
): string {
  const label = `Activation distribution per layer at step ${h.step}: ${title}`;
  return ridgeline(h, { label, width: compact ? 280 : 360, rowHeight: compact ? 10 : 14 });
}
