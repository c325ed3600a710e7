/**
 * Paired timing of Keel against PyTorch on the MLP workloads and the largest matmul, for a host whose speed moves
 * within seconds.
 *
 * The main table times each engine in its own process, minutes apart: on a VM whose neighbours come and go, two
 * engines timed that far apart can see different machines. Here both engines stay up (`--serve`) and take turns:
 * one turn of Keel, one of PyTorch (the order alternating from pair to pair), each pair between two readings of
 * the FMA inner loop (bench/ceiling.ts) in FLOP per cycle per core. A neighbour on the same physical cores takes
 * issue slots from that loop, so the reading drops (15.4 of 16 on an idle host, 7–13 on a contended one) while
 * the clock does not. Each pair gives one ratio; the pairs with both readings at or above QUIET_FLOP_PER_CYCLE
 * are the ones timed on an idle host.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { innerLoopCeiling } from './ceiling.js';
import { median } from './workloads.js';

/** The inner loop's FLOP per cycle per core at or above which the host counts as idle (the bound is 16). */
export const QUIET_FLOP_PER_CYCLE = 14;

/**
 * One pair: each engine's ms (per step, or per product), and the loop's FLOP per cycle before and after (NaN
 * without FMA).
 */
export interface Pair {
  keel: number;
  pytorch: number;
  before: number;
  after: number;
}

/** Per-pair ratios (PyTorch ms / Keel ms: > 1 means Keel is faster) of some pairs. */
export interface PairSummary {
  pairs: number;
  ratio: number;
  /** Quartiles of the per-pair ratios. */
  low: number;
  high: number;
  keelMs: number;
  pytorchMs: number;
}

/** Nearest-rank quantile of a non-empty list. */
function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/** The summary of `pairs`, or null when there are none. */
export function summarizePairs(pairs: readonly Pair[]): PairSummary | null {
  if (pairs.length === 0) return null;
  const ratios = pairs.map((p) => p.pytorch / p.keel);
  return {
    pairs: pairs.length,
    ratio: median(ratios),
    low: quantile(ratios, 0.25),
    high: quantile(ratios, 0.75),
    keelMs: median(pairs.map((p) => p.keel)),
    pytorchMs: median(pairs.map((p) => p.pytorch)),
  };
}

/** The pairs timed on an idle host: the loop at QUIET_FLOP_PER_CYCLE or more before and after. */
export function quietPairs(pairs: readonly Pair[]): Pair[] {
  return pairs.filter((p) => p.before >= QUIET_FLOP_PER_CYCLE && p.after >= QUIET_FLOP_PER_CYCLE);
}

/**
 * One engine in `--serve` mode: `run(key)` asks for one turn (an epoch, or the matmul's products) and returns its
 * ms per step or per product.
 */
class Server {
  private readonly lines: AsyncIterator<string>;
  private readonly child;
  constructor(
    readonly name: string,
    cmd: string,
    args: string[],
  ) {
    this.child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }
  private async line(): Promise<string> {
    const r = await this.lines.next();
    if (r.done === true) throw new Error(`bench: ${this.name} stopped answering (exit ${this.child.exitCode})`);
    return r.value;
  }
  async ready(): Promise<void> {
    const line = await this.line();
    if (line !== 'ready') throw new Error(`bench: ${this.name} did not start: ${line}`);
  }
  async run(key: string): Promise<number> {
    this.child.stdin.write(`run ${key}\n`);
    const line = await this.line();
    const ms = Number(line);
    if (!Number.isFinite(ms)) throw new Error(`bench: ${this.name}: ${line}`);
    return ms;
  }
  close(): void {
    this.child.stdin.end();
  }
}

/** The loop's median FLOP per cycle per core over 3 short rounds on 2 threads; NaN without relaxed SIMD. */
async function probe(): Promise<number> {
  const c = await innerLoopCeiling(2, true, 3);
  return c.flopPerCycle.length ? median(c.flopPerCycle) : NaN;
}

/**
 * `pairs` pairs of each key in `keys`. The engines' scripts are started with `--serve` (and `--quick` when asked,
 * for their shorter epochs); both build and warm up every workload before the first pair.
 */
export async function runPairs(opts: {
  keys: readonly string[];
  pairs: number;
  quick: boolean;
  say: (line: string) => void;
}): Promise<Record<string, Pair[]>> {
  const quick = opts.quick ? ['--quick'] : [];
  const keel = new Server('keel', process.execPath, [
    '--expose-gc',
    '--import',
    'tsx',
    'bench/engines/keel.ts',
    '--serve',
    ...quick,
  ]);
  const torch = new Server('pytorch', '/usr/bin/python3', ['bench/engines/torch_bench.py', '--serve', ...quick]);
  const out: Record<string, Pair[]> = {};
  try {
    await Promise.all([keel.ready(), torch.ready()]);
    for (const key of opts.keys) {
      const started = Date.now();
      const pairs: Pair[] = (out[key] = []);
      let before = await probe();
      for (let i = 0; i < opts.pairs; i++) {
        const t: Record<string, number> = {};
        for (const s of i % 2 === 0 ? [keel, torch] : [torch, keel]) t[s.name] = await s.run(key);
        const after = await probe();
        pairs.push({ keel: t.keel!, pytorch: t.pytorch!, before, after });
        before = after;
      }
      const quiet = quietPairs(pairs).length;
      opts.say(
        `bench: paired ${key}: ${pairs.length} pairs in ${((Date.now() - started) / 1000).toFixed(0)} s, ` +
          `${quiet} of them on an idle host`,
      );
    }
  } finally {
    keel.close();
    torch.close();
  }
  return out;
}
