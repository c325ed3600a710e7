/**
 * `keel demo [--quick]`: the seed's story on Fashion-MNIST. The same deep
 * network trained several ways; a table of gradient norms at initialization,
 * test accuracy and a verdict per variant.
 */
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { runDemo, type DemoRow } from '../demo/run-demo.js';
import { Callback, type Logs } from '../../nn/callbacks.js';
import { positiveInt, integer } from '../options.js';
import { ReportRecorder, CallbackGroup, writeReport } from '../../report/html/index.js'; // --report

interface DemoCliOptions {
  quick?: boolean;
  seed?: number;
  limit?: number;
  only?: string;
  report?: string;
}

/** Quick mode: a stratified 10,000-image subset, one epoch, 2,000 test images. */
export const QUICK = { limit: 10_000, testLimit: 2_000 };

export function formatDemoTable(rows: readonly DemoRow[]): string {
  const head = ['variant', '‖∇W‖ first', 'middle', 'last', 'saturated', 'test acc', 'time', 'verdict'];
  const body = rows.map((r) => [
    r.variant.label,
    r.gradFirst.toExponential(2),
    r.gradMiddle.toExponential(2),
    r.gradLast.toExponential(2),
    r.saturated === null ? '—' : `${(r.saturated * 100).toFixed(0)}%`,
    Number.isNaN(r.testAccuracy) ? '—' : `${(r.testAccuracy * 100).toFixed(1)}%`,
    `${r.seconds.toFixed(1)}s`,
    r.verdict,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ');
  return [fmt(head), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(fmt)].join('\n');
}

class BarCallback extends Callback {
  constructor(private readonly bar: cliProgress.SingleBar) {
    super();
  }
  override onTrainBegin(): void {
    this.bar.start(this.params!.steps * this.params!.epochs, 0, { loss: '' });
  }
  override onBatchEnd(batch: number, logs: Logs = {}): void {
    this.bar.increment(1, { loss: (logs.loss ?? NaN).toFixed(3) });
    void batch;
  }
  override onTrainEnd(): void {
    this.bar.stop();
  }
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('train the same 20-layer network several ways on Fashion-MNIST and show why some never learn')
    .option(
      '--quick',
      `a ${QUICK.limit}-image subset (under a minute); default: all 60,000 images, one epoch per variant`,
    )
    .option('--seed <s>', 'random seed', integer('--seed'))
    .option('--limit <n>', 'training images (stratified)', positiveInt('--limit'))
    .option('--report <file>', 'also write an HTML report with the variants side by side')
    .option(
      '--only <keys>',
      'comma-separated variant keys (sigmoid-glorot, sigmoid-normal1, tanh-glorot, elu-he, bn-elu-he, ' +
        'selu-lecun, relu-normal1-clip)',
    )
    .action(async (opts: DemoCliOptions) => {
      const out = process.stdout;
      out.write(
        `Keel demo: 784 → 20×Dense(100) → 10 on Fashion-MNIST, SGD lr 0.01, batch 32, one epoch` +
          `${opts.quick ? ' ' + '(quick: 10,000 images)' : ''}\n\n`,
      );
      const recorders = new Map<string, ReportRecorder>(); // --report
      const rows = await runDemo({
        limit: opts.limit ?? (opts.quick ? QUICK.limit : undefined),
        testLimit: opts.quick ? QUICK.testLimit : undefined,
        seed: opts.seed,
        only: opts.only
          ?.split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
        progress: (v, data) => {
          const bar = out.isTTY
            ? new BarCallback(
                new cliProgress.SingleBar({
                  format: `${v.label.padEnd(36)} [{bar}] {value}/{total} loss {loss}`,
                  barsize: 25,
                  stream: out,
                  clearOnComplete: true,
                }),
              )
            : null;
          if (opts.report === undefined) return bar;
          const rec = new ReportRecorder({
            title: v.label,
            subtitle: v.expectation,
            x: data.x,
            numClasses: data.numClasses,
          }); // --report
          recorders.set(v.key, rec);
          return new CallbackGroup([bar, rec]);
        },
      });
      out.write(`${formatDemoTable(rows)}\n`);
      if (opts.report !== undefined) {
        const records = rows.map((r) =>
          recorders.get(r.variant.key)!.record({
            'test accuracy': Number.isNaN(r.testAccuracy) ? '—' : `${(r.testAccuracy * 100).toFixed(1)}%`,
            verdict: r.verdict,
          }),
        );
        const title = 'Keel demo: one deep network, several ways';
        const intro =
          'The same 784 → 20×Dense(100) → 10 network on Fashion-MNIST, SGD lr 0.01, batch 32, one epoch ' +
          'per variant.';
        out.write(`Wrote ${writeReport(opts.report, records, { title, intro })}\n`);
      }
    });
}
