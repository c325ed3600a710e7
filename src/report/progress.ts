/**
 * Keras-style progress for `fit` in a terminal: a live bar per epoch
 * (step/steps, ETA, loss, accuracy) with cli-progress, replaced at the epoch's end by
 * one summary line. With verbose 2, or when stdout is not a terminal, only the lines.
 */
import cliProgress from 'cli-progress';
import { Callback, type Logs } from '../nn/callbacks.js';

function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .filter(([k]) => k !== 'batch_loss')
    .map(([k, v]) => `${k}: ${Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3)}`)
    .join(' - ');
}

export class ProgressLogger extends Callback {
  private bar: cliProgress.SingleBar | null = null;
  private epochStart = 0;

  constructor(
    private readonly verbose: 1 | 2,
    private readonly stream: NodeJS.WriteStream = process.stdout,
  ) {
    super();
  }

  override onEpochBegin(epoch: number): void {
    this.epochStart = Date.now();
    const p = this.params!;
    if (this.verbose === 2 || !this.stream.isTTY) return;
    this.stream.write(`Epoch ${epoch + 1}/${p.epochs}\n`);
    this.bar = new cliProgress.SingleBar({
      format: ' {value}/{total} [{bar}] ETA {eta_formatted} - {metrics}',
      barCompleteChar: '=',
      barIncompleteChar: '.',
      barsize: 30,
      hideCursor: true,
      stream: this.stream,
      etaBuffer: 50,
      fps: 10,
      // The epoch's line replaces the bar (a kept bar plus the line would say everything twice).
      clearOnComplete: true,
    });
    this.bar.start(p.steps, 0, { metrics: '' });
  }

  override onBatchEnd(batch: number, logs: Logs = {}): void {
    this.bar?.update(batch + 1, { metrics: formatLogs(logs) });
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    if (this.bar !== null) {
      this.bar.stop();
      this.bar = null;
    }
    const seconds = ((Date.now() - this.epochStart) / 1000).toFixed(1);
    const prefix = this.verbose === 2 || !this.stream.isTTY ? `Epoch ${epoch + 1}/${this.params!.epochs} - ` : '';
    this.stream.write(`${prefix}${seconds}s - ${formatLogs(logs)}\n`);
  }
}
