/**
 * The lab page: settings form, presets and URL state on this thread; Keel
 * trains in a Web Worker (worker.ts) and streams statistics back, which the
 * views redraw at most a few times a second.
 */
import { REPORT_CSS } from '../../src/report/html/style.js';
import { DEFAULTS, PRESETS, applyPreset, matchingPreset, parseQuery, toQuery, type LabSettings } from './settings.js';
import { readControls, renderControls, writeControls } from './controls.js';
import { newRunState, previousOf, renderViews, type RunState } from './views.js';
import type { FromWorker, ToWorker } from './protocol.js';

const style = document.createElement('style');
style.textContent = REPORT_CSS;
document.head.prepend(style);

const form = document.querySelector<HTMLFormElement>('#controls')!;
const status = document.querySelector<HTMLElement>('#status')!;
const story = document.querySelector<HTMLElement>('#story')!;
const presetsNav = document.querySelector<HTMLElement>('#presets')!;
const notice = document.querySelector<HTMLElement>('#notice')!;

const parsed = parseQuery(location.search);
let settings: LabSettings = parsed.settings;
/** A visible message (bad URL parameters, copy-link fallback); empty hides it. */
function say(text: string): void {
  notice.textContent = text;
  notice.hidden = text === '';
}
say(
  parsed.rejected.length > 0
    ? `This link asked for settings the lab cannot use, so their defaults are shown instead: ` +
        `${parsed.rejected.join('; ')}.`
    : '',
);
let worker: Worker | null = null;
let state: RunState = newRunState();
let info = '';
let live = { step: 0, epoch: 0, rate: 0, acc: NaN, valAcc: NaN };
let dirty = false;

renderControls(form);
presetsNav.innerHTML = PRESETS.map(
  (p) => `<button type="button" data-preset="${p.id}" aria-pressed="false">${p.label}</button>`,
).join('');

function syncUi(): void {
  writeControls(form, settings);
  const p = matchingPreset(settings);
  for (const b of presetsNav.querySelectorAll<HTMLButtonElement>('button'))
    b.setAttribute('aria-pressed', String(b.dataset.preset === p?.id));
  story.textContent = p?.story ?? 'Custom settings.';
  history.replaceState(null, '', `?${toQuery(settings)}`);
}

/** A short name for a run's settings: its preset, or what sets it apart. */
function runLabel(s: LabSettings): string {
  const clip = s.clip === 'none' ? 'no clipping' : `${s.clip} ${s.clipValue}`;
  return matchingPreset(s)?.label ?? `${s.activation}, ${s.initializer}, lr ${s.learningRate}, ${clip}`;
}
const compare = form.querySelector<HTMLInputElement>('#f-compare')!;
let ranOn: LabSettings | null = null;

function start(): void {
  worker?.terminate();
  // A new run answers the stale mark (a message about the URL stays).
  if (document.body.dataset.stale === '1') say('');
  delete document.body.dataset.stale;
  setPaused(false);
  // The run being replaced stays on the loss and gradient charts, faded, when it was on the same data.
  const previous = compare.checked && ranOn?.dataset === settings.dataset ? previousOf(state) : null;
  state = newRunState();
  state.previous = previous;
  state.label = runLabel(settings);
  ranOn = { ...settings };
  state.clipNorm =
    settings.clip === 'global_clipnorm' || settings.clip === 'clipnorm'
      ? { kind: settings.clip, value: settings.clipValue }
      : null;
  document.body.dataset.compared = previous === null ? '' : previous.label;
  delete document.body.dataset.nonFinite;
  live = { step: 0, epoch: 0, rate: 0, acc: NaN, valAcc: NaN };
  info = '';
  status.textContent = 'Starting…';
  document.body.dataset.state = 'starting';
  document.body.dataset.step = '0';
  document.body.dataset.drawnStep = '-1';
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
  worker.onerror = (e) => {
    status.textContent = `Worker error: ${e.message}`;
  };
  const msg: ToWorker = { type: 'start', settings };
  worker.postMessage(msg);
  control({ stepsPerSecond: Number(form.querySelector<HTMLSelectElement>('#f-speed')!.value) });
  renderViews(state);
}

function stop(reason = 'stopped'): void {
  worker?.terminate();
  worker = null;
  document.body.dataset.state = 'stopped';
  status.textContent = `${statusLine()} · ${reason}`;
}

function onMessage(m: FromWorker): void {
  if (m.type === 'started') {
    const kernels = m.kernels === 'wasm' ? 'WebAssembly' : 'JavaScript';
    info = `${m.network} on ${m.dataName} (${m.trainSize} examples) · ${kernels} kernels`;
    state.staticFindings = m.lintAndTheory;
    state.stepsPerEpoch = m.stepsPerEpoch;
    state.task = m.task;
    state.points = m.points;
    document.body.dataset.state = 'training';
  } else if (m.type === 'progress') {
    state.probe.losses.push(...m.losses);
    state.probe.steps.push(...m.records);
    if (m.histograms) state.histograms = m.histograms;
    if (m.grid) state.grid = m.grid;
    state.trialFindings = m.findings;
    for (const e of m.epochs) {
      if (e.logs.val_loss !== undefined) state.valLoss.push([(e.epoch + 1) * state.stepsPerEpoch, e.logs.val_loss]);
      live.acc = e.logs.accuracy ?? NaN;
      live.valAcc = e.logs.val_accuracy ?? NaN;
    }
    live = { ...live, step: m.step, epoch: m.epoch, rate: m.stepsPerSecond || live.rate };
    document.body.dataset.step = String(m.step);
    document.body.dataset.workerPaused = m.paused === true ? '1' : '0';
    document.body.dataset.accuracy = String(live.acc); // read by the browser test
    const losses = state.probe.losses;
    document.body.dataset.lossFirst = String(mean(losses.slice(0, 5)));
    document.body.dataset.lossRecent = String(mean(losses.slice(-20)));
    dirty = true;
  } else if (m.type === 'done') {
    dirty = true;
    state.nonFinite = m.nonFinite;
    document.body.dataset.nonFinite = m.nonFinite ? '1' : '0';
    stop(m.reason);
    document.body.dataset.state = 'done';
  } else {
    status.textContent = `Error: ${m.message}`;
    document.body.dataset.state = 'error';
  }
}

/** The mean of the finite values (NaN when there are none). */
function mean(values: number[]): number {
  const v = values.filter(Number.isFinite);
  return v.length === 0 ? NaN : v.reduce((a, b) => a + b, 0) / v.length;
}

function statusLine(): string {
  const pct = (x: number) => (Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`);
  const last = state.probe.losses.at(-1);
  const loss = last === undefined ? '—' : last.toFixed(4);
  const accuracy = state.task === 'regress' ? '' : ` · accuracy ${pct(live.acc)} (validation ${pct(live.valAcc)})`;
  return (
    `Step ${live.step}, epoch ${live.epoch + 1}/${settings.epochs} · loss ${loss}${accuracy} · ` +
    `${Math.round(live.rate)} steps/s` +
    (info ? ` · ${info}` : '')
  );
}

let lastDraw = 0;
function frame(t: number): void {
  if (dirty && t - lastDraw > 250) {
    dirty = false;
    lastDraw = t;
    renderViews(state);
    // The step the charts show (the browser tests wait for it instead of a time).
    document.body.dataset.drawnStep = String(live.step);
    if (document.body.dataset.state === 'training') status.textContent = statusLine();
  }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

presetsNav.addEventListener('click', (e) => {
  const id = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-preset]')?.dataset.preset;
  if (id === undefined) return;
  settings = applyPreset(settings, id);
  syncUi();
  start();
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
  settings = readControls(form, settings);
  syncUi();
  start();
});
form.addEventListener('change', (e) => {
  if ((e.target as HTMLElement).id === 'f-compare') return;
  if ((e.target as HTMLElement).id === 'f-speed') {
    control({ stepsPerSecond: Number((e.target as HTMLSelectElement).value) });
    return;
  }
  settings = readControls(form, settings);
  syncUi();
  // The charts still show the old settings' run: say so until Train restarts it.
  if (worker !== null || document.body.dataset.state === 'done' || document.body.dataset.state === 'stopped') {
    document.body.dataset.stale = '1';
    say('Settings changed: the charts still show the previous run. Press Train to restart with the new settings.');
  }
});

function control(m: { paused?: boolean; step?: boolean; stepsPerSecond?: number }): void {
  const msg: ToWorker = { type: 'control', ...m };
  worker?.postMessage(msg);
}
const pauseButton = form.querySelector<HTMLButtonElement>('#pause')!;
const stepButton = form.querySelector<HTMLButtonElement>('#step')!;
function setPaused(paused: boolean): void {
  pauseButton.setAttribute('aria-pressed', String(paused));
  pauseButton.textContent = paused ? 'Resume' : 'Pause';
  stepButton.disabled = !paused;
  document.body.dataset.paused = paused ? '1' : '0';
}
pauseButton.addEventListener('click', () => {
  const paused = pauseButton.getAttribute('aria-pressed') !== 'true';
  setPaused(paused);
  control({ paused });
});
stepButton.addEventListener('click', () => control({ step: true }));
form.querySelector('#stop')!.addEventListener('click', () => stop());
const copyButton = form.querySelector<HTMLButtonElement>('#copy')!;
copyButton.addEventListener('click', () => {
  delete copyButton.dataset.copied;
  // data-copied keeps the outcome (for tests and assistive tools); the label says it for two seconds.
  const done = (text: string, outcome: 'copied' | 'manual') => {
    copyButton.textContent = text;
    copyButton.dataset.copied = outcome;
    setTimeout(() => (copyButton.textContent = 'Copy link'), 2000);
  };
  const fallback = () => {
    say(`Copy this link by hand (the browser did not allow copying): ${location.href}`);
    done('See the link above', 'manual');
  };
  if (navigator.clipboard === undefined) fallback();
  else navigator.clipboard.writeText(location.href).then(() => done('Copied ✓', 'copied'), fallback);
});

if (location.search === '') settings = { ...DEFAULTS };
syncUi();
start();
