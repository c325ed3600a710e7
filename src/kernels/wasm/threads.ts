/**
 * Helper threads for large matmuls (Node only): worker_threads that
 * instantiate the same wasm module over the same shared memory and run
 * `gemm` on a sub-range of C on request.
 *
 * A job is C cut into `count` slabs of `chunk` columns (or rows). Every
 * thread, the caller included, claims slabs with a compare-and-swap on a shared
 * claim word until none are left, so a thread the OS deschedules (busy machine)
 * simply ends up doing fewer slabs. Results do not depend on who computes what.
 *
 * Protocol, through two blocks of 24 Int32s inside the shared memory. The control block `ctl`:
 *   [0] seq    — the main thread bumps it (and notifies) to post a job
 *   [1] claim  — (seq mod 2^23)·256 + the next unclaimed slab; a claim is a CAS on it, so a worker that
 *                wakes late (after the caller did every slab and moved on) can never claim a slab of a
 *                job whose arguments it did not read; between jobs it is CLOSED (see GemmPool.post)
 *   [2] done   — slabs finished; the caller waits until it equals `count`
 *   [13], [14] — a vector job's results
 *   [15]       — set by a worker if its kernel trapped
 *   [18]       — a scanned matmul's result: the smallest flat index of a NaN/±Inf in C any slab found
 * The job's arguments, in a block of their own (so that writing them does not pull the cache line the idle
 * workers spin on away from them 20 times per job), read as Uint32 (addresses may exceed 2^31):
 *   [3..14]    — the product's (or a vector job's) arguments
 *   [16..17]   — more arguments of vector jobs (and [19..20] for prepackBGrad)
 * and per worker one Int32 `ready` (−1 until started).
 * After a job a worker spins for a short while (SPIN_MS) before it sleeps in Atomics.wait: a training step
 * issues its matmuls tens of microseconds apart, and a wake-up from Atomics.wait costs about as much as a
 * small matmul, so the spin is what makes both cores pay off on mid-size products (wasm-backend.ts sets the
 * size threshold). Workers are unref'd (an idle pool never keeps the process alive) and are started lazily
 * on the first large matmul.
 * Their code is an eval'd CommonJS string and the compiled module travels in
 * workerData, so nothing depends on file paths or on the tsx loader.
 */
import type * as WorkerThreadsModule from 'node:worker_threads';
import type { WasmHeap } from './heap.js';
import type { KernelExports } from './wasm-backend.js';

type WorkerThreads = typeof WorkerThreadsModule;

const nodeProcess = (
  globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }
).process;
const isNode = typeof nodeProcess?.versions?.node === 'string';

/** A Node built-in module without a static import (null outside Node, or on Node < 20.16). */
export function builtin<T>(id: string): T | null {
  try {
    return (nodeProcess?.getBuiltinModule?.(id) as T | undefined) ?? null;
  } catch {
    return null;
  }
}

// Node ≥ 20.16 has process.getBuiltinModule, which lets this module stay
// synchronous and free of static node: imports (browser bundles). On older
// Node, createWasmBackendAsync calls loadWorkerThreads() to get it by import.
let workerThreads: WorkerThreads | null = isNode ? builtin<WorkerThreads>('node:worker_threads') : null;

export async function loadWorkerThreads(): Promise<void> {
  if (workerThreads !== null || !isNode) return;
  const id = 'node:worker_threads'; // a variable, so bundlers do not try to resolve it
  workerThreads = await (import(id) as Promise<WorkerThreads>).catch(() => null);
}

/** Hardware threads available to this process (1 outside Node). */
export function availableThreads(): number {
  const os = builtin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os');
  if (os !== null) return os.availableParallelism?.() ?? os.cpus().length;
  return Math.max(
    1,
    (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1,
  );
}

export function threadsSupported(): boolean {
  return workerThreads !== null;
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctlAddr, argsAddr, readyAddr, scratch, spinMs } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const { gemm: narrow, gemmWide, gemmSkinny, scaledAdd, firstNonFinite, firstNonFiniteBlock, prepackA, prepackB } = ex;
const ctl = new Int32Array(memory.buffer, ctlAddr, 24), args = new Int32Array(memory.buffer, argsAddr, 24);
// The job's arguments, copied out with atomic loads (see GemmPool.post): arg as Uint32, real as Float32.
const job = new Int32Array(24), arg = new Uint32Array(job.buffer), real = new Float32Array(job.buffer);
const ready = new Int32Array(memory.buffer, readyAddr, 1);
Atomics.store(ready, 0, 0);
Atomics.notify(ready, 0);
let seen = Atomics.load(ctl, 0);
for (;;) {
  let seq = Atomics.load(ctl, 0);
  if (seq === seen) {
    const until = performance.now() + spinMs;
    for (let i = 1; (seq = Atomics.load(ctl, 0)) === seen; i++) {
      if ((i & 255) === 0 && performance.now() > until) {
        Atomics.wait(ctl, 0, seen);
        seq = Atomics.load(ctl, 0);
        break;
      }
    }
    if (seq === seen) continue;
  }
  seen = seq;
  for (let i = 3; i < 24; i++) job[i] = Atomics.load(args, i);
  const a = arg[3], b = arg[4], c = arg[5], m = arg[6], n = arg[7], k = arg[8], f = arg[9];
  const byCols = arg[10], chunk = arg[11], count = arg[12], preA = arg[13], preB = arg[14];
  const gemm = f & 64 ? gemmSkinny : f & 8 ? gemmWide : narrow;
  const tag = (seq & 0x7fffff) << 8;
  for (;;) {
    const v = Atomics.load(ctl, 1);
    if ((v & ~255) !== tag || (v & 255) >= count) break;
    if (Atomics.compareExchange(ctl, 1, v, v + 1) !== v) continue;
    const s = (v & 255) * chunk;
    try {
      if (f & 16) {
        // A vector job (GemmPool.runVector): slab [s, s + chunk) of n = arg[6] elements, rows or columns.
        const op = arg[10], p = arg[3], q = arg[4], len = Math.min(arg[6] - s, chunk);
        if (op === 0) {
          if (!scaledAdd(p + s * 4, q + s * 4, real[5], len)) Atomics.store(ctl, 13, 0);
        } else if (op === 1) {
          const i = firstNonFinite(p + s * 4, len);
          for (let cur = Atomics.load(ctl, 14); i >= 0 && s + i < cur; cur = Atomics.load(ctl, 14)) {
            if (Atomics.compareExchange(ctl, 14, cur, s + i) === cur) break;
          }
        } else if (op === 2 || op === 3) {
          const pack = op === 2 ? prepackA : prepackB;
          pack(p, arg[6], arg[7], arg[8] & 1, (arg[8] >> 1) & 1, q, s, s + len);
        } else if (op === 7) {
          // prepackBGrad: columns [s, s + len) of dZ [k×n] (GemmPool.runVector).
          const code = arg[8] & 255, wide = arg[8] >> 8;
          ex.prepackBGrad(p, q, arg[16], arg[17], arg[19], arg[6], arg[7], code, real[5], wide, arg[20], s, s + len);
        } else if (op === 4) {
          const o = s * arg[7] * 4; // rows [s, s + len) of cols = arg[7]
          ex.biasActivation(p + o, q, arg[16] + o, arg[17] + o, len, arg[7], arg[8], real[5]);
        } else if (op === 5) {
          const o = s * 4;
          ex.activationBackward(p + o, q + o, arg[16] + o, arg[17] + o, len, arg[8], real[5]);
        } else {
          ex.columnSums(p + s * 4, q + s * 4, arg[7], len, arg[6], arg[8]); // columns [s, s + len) of arg[6]
        }
        Atomics.add(ctl, 2, 1);
        Atomics.notify(ctl, 2);
        continue;
      }
      const ta = f & 1, tb = (f >> 1) & 1, acc = (f >> 2) & 1;
      const e = Math.min(byCols ? n : m, s + chunk);
      if (byCols) gemm(a, b, c, m, n, k, ta, tb, acc, 0, m, s, e, scratch, preA, preB);
      else gemm(a, b, c, m, n, k, ta, tb, acc, s, e, 0, n, scratch, preA, preB);
      if (f & 128) {
        // A scanned product (GemmPool.run, SlabWork): this slab's first NaN/±Inf, while the slab is in cache.
        const at = byCols ? s : s * n;
        const i = firstNonFiniteBlock(c + at * 4, n, byCols ? m : e - s, byCols ? e - s : n);
        for (let cur = Atomics.load(ctl, 18); i >= 0 && at + i < cur; cur = Atomics.load(ctl, 18)) {
          if (Atomics.compareExchange(ctl, 18, cur, at + i) === cur) break;
        }
      }
    } catch (e) {
      ctl[15] = 1; // a trap (bad address): report it rather than leave the caller waiting
    }
    Atomics.add(ctl, 2, 1);
    Atomics.notify(ctl, 2);
  }
}
`;

const CTL_INTS = 24;
/** The claim word between jobs: its tag part, −256, is no job's (tags are 0 to 2^31 − 256). */
const CLOSED = -1;

/** gemm from the kernels' exports (see KernelExports in wasm-backend.ts). */
export type GemmFn = (
  a: number,
  b: number,
  c: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  scratch: number,
  /** op(A) packed whole by prepackA, read instead of packing A (0: pack it). */
  preA: number,
  /** op(B) packed whole by prepackB (0: pack it). */
  preB: number,
) => void;

/** ctl[at] = min(ctl[at], v), atomically (Atomics has no min). */
function atomicMin(ctl: Int32Array, at: number, v: number): void {
  for (let cur = Atomics.load(ctl, at); v < cur; cur = Atomics.load(ctl, at)) {
    if (Atomics.compareExchange(ctl, at, cur, v) === cur) return;
  }
}

/** The kernels of vector jobs (GemmPool.runVector), as the wasm module exports them. */
export type VectorKernels = Pick<
  KernelExports,
  | 'scaledAdd'
  | 'firstNonFinite'
  | 'firstNonFiniteBlock'
  | 'prepackA'
  | 'prepackB'
  | 'prepackBGrad'
  | 'biasActivation'
  | 'activationBackward'
  | 'columnSums'
>;

/** The vector jobs, in the order of their codes in the job arguments (the worker's script uses the codes). */
const VECTOR_OPS = [
  'scaledAdd',
  'firstNonFinite',
  'prepackA',
  'prepackB',
  'biasActivation',
  'activationBackward',
  'columnSums',
  'prepackBGrad',
] as const;
export type VectorOp = (typeof VECTOR_OPS)[number];

/** A vector job's other arguments (see GemmPool.runVector for what each op reads). */
export interface VectorOptions {
  alpha?: number;
  k?: number;
  transpose?: boolean;
  wide?: boolean;
  act?: number;
  r?: number;
  s?: number;
  t?: number;
  u?: number;
}

/** How a product's C is cut (GemmPool.run). */
export interface Slabs {
  /** Slabs of columns, else of rows. */
  byCols: boolean;
  /** Columns (rows) per slab. */
  chunk: number;
  /** Slabs (≤ 255). */
  count: number;
  /** Which driver the workers run (the caller passes the same one as `gemm`). */
  tile?: GemmTile;
  /** op(A) / op(B) packed whole (prepackA / prepackB), which every slab reads instead of packing; 0: none. */
  preA?: number;
  preB?: number;
}

/** Work every thread does on each slab of C it computed, right after, while the slab is in cache (GemmPool.run). */
export interface SlabWork {
  /** Scan the slab for NaN/±Inf: run's `first` is the flat index of C's first one. */
  scan?: boolean;
}

/** Which driver the workers run (`gemm`, `gemmWide` or `gemmSkinny`); the caller passes the same one as `gemm`. */
export type GemmTile = 'narrow' | 'wide' | 'skinny';

/** What a split came to (GemmPool.run). */
export type SplitOutcome = 0 | 1 | 2;
export const SPLIT_PAID = 0,
  SPLIT_UNCLAIMED = 1,
  SPLIT_STALLED = 2;
/**
 * The caller waits for the workers' slabs spinning for as long as its own share took, but at least STALL_MS and
 * at most STALL_MAX_MS (ms); past that it sleeps and calls the split stalled (threads.ts, `run`). A fixed budget
 * of ~20 µs, as before, called splits of mid-size products (0.2–0.4 ms, W2's output layer) stalled whenever the
 * worker's half ran 10% longer, and then kept them on one thread.
 */
const STALL_MS = 0.02,
  STALL_MAX_MS = 2;

/** How long a worker spins for the next job before it sleeps (ms). */
export const SPIN_MS = 0.5;

export class GemmPool {
  private readonly workers: WorkerThreadsModule.Worker[] = [];
  private ctl: Int32Array | null = null;
  /** The published job arguments (see the protocol above). */
  private args: Int32Array | null = null;
  /** The next job's arguments, written here and published by `post`; as Uint32 (arg) and Float32 (real). */
  private readonly job = new Int32Array(CTL_INTS);
  private readonly arg = new Uint32Array(this.job.buffer);
  private readonly real = new Float32Array(this.job.buffer);
  private seq = 0;
  /** undefined: not started yet; true: running; false: failed to start (stay single-threaded). */
  private state: boolean | undefined;

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly heap: WasmHeap,
    private readonly scratchBytes: number,
    /** Number of helper workers (threads − 1). */
    readonly size: number,
    /** The calling thread's own instance of the kernels, for its share of vector jobs. */
    private readonly kernels: VectorKernels,
  ) {}

  /** Whether the workers are up (they start on the first large matmul). */
  get running(): boolean {
    return this.state === true;
  }

  /** Start the workers if needed (blocks up to a few seconds the first time); false if unavailable. */
  ensureStarted(): boolean {
    if (this.state !== undefined) return this.state;
    this.state = false;
    if (workerThreads === null || !this.heap.shared || this.size < 1) return false;
    const ctlAddr = this.heap.alloc(CTL_INTS * 4),
      argsAddr = this.heap.alloc(CTL_INTS * 4);
    if (ctlAddr < 0 || argsAddr < 0) return false;
    this.ctl = new Int32Array(this.heap.memory.buffer, ctlAddr, CTL_INTS);
    this.args = new Int32Array(this.heap.memory.buffer, argsAddr, CTL_INTS);
    const ready: Int32Array[] = [];
    for (let w = 0; w < this.size; w++) {
      const readyAddr = this.heap.alloc(16);
      const scratch = this.heap.alloc(this.scratchBytes);
      if (readyAddr < 0 || scratch < 0) {
        this.dispose();
        return false;
      }
      const r = new Int32Array(this.heap.memory.buffer, readyAddr, 1);
      Atomics.store(r, 0, -1);
      const worker = new workerThreads.Worker(WORKER_SOURCE, {
        eval: true,
        execArgv: [], // no --import tsx etc.: the worker runs plain JS
        workerData: {
          module: this.module,
          memory: this.heap.memory,
          ctlAddr,
          argsAddr,
          readyAddr,
          scratch,
          spinMs: SPIN_MS,
        },
      });
      worker.unref();
      worker.on('error', () => {
        this.state = false;
      });
      this.workers.push(worker);
      ready.push(r);
    }
    // Worker start-up does not need our event loop, so we can simply block on it.
    for (const r of ready) {
      if (Atomics.wait(r, 0, -1, 5000) === 'timed-out') {
        this.dispose();
        return false;
      }
    }
    this.state = true;
    return true;
  }

  /**
   * Compute C = / += op(A)·op(B) as the `slabs` (Slabs), shared between the workers and the calling thread
   * (which uses `gemm` with `scratch`).
   * Returns SPLIT_PAID when a worker did a slab and the caller did not have to sleep waiting for it,
   * SPLIT_UNCLAIMED when no worker claimed a slab (asleep, now waking up, or not scheduled: the caller did
   * everything, at the cost of a notify), SPLIT_STALLED when the caller slept waiting for a worker that
   * claimed a slab and then was descheduled mid-slab (the machine is busy).
   * `work`: what each thread does to every slab it computed, right after (SlabWork); `first` is the flat index of
   * C's first NaN/±Inf when it scans, else −1.
   */
  run(
    gemm: GemmFn,
    scratch: number,
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    accumulate: boolean,
    slabs: Slabs,
    work: SlabWork = {},
  ): { outcome: SplitOutcome; first: number } {
    const { byCols, chunk, count, tile = 'narrow', preA = 0, preB = 0 } = slabs;
    const { scan = false } = work;
    const ctl = this.ctl!,
      arg = this.arg,
      kernels = this.kernels;
    const tag = this.nextTag();
    arg[3] = a;
    arg[4] = b;
    arg[5] = c;
    arg[6] = m;
    arg[7] = n;
    arg[8] = k;
    arg[9] =
      (transA ? 1 : 0) |
      (transB ? 2 : 0) |
      (accumulate ? 4 : 0) |
      (tile === 'wide' ? 8 : tile === 'skinny' ? 64 : 0) |
      (scan ? 128 : 0);
    arg[10] = byCols ? 1 : 0;
    arg[11] = chunk;
    arg[12] = count;
    arg[13] = preA;
    arg[14] = preB;
    ctl[18] = 0x7fffffff;
    this.post(tag);
    const start = performance.now();
    const mine = this.claimAll(count, (index) => {
      const s = index * chunk,
        e = Math.min(byCols ? n : m, s + chunk);
      if (byCols) gemm(a, b, c, m, n, k, transA, transB, accumulate, 0, m, s, e, scratch, preA, preB);
      else gemm(a, b, c, m, n, k, transA, transB, accumulate, s, e, 0, n, scratch, preA, preB);
      if (!scan) return;
      const at = byCols ? s : s * n;
      const i = kernels.firstNonFiniteBlock(c + at * 4, n, byCols ? m : e - s, byCols ? e - s : n);
      if (i >= 0) atomicMin(ctl, 18, at + i);
    });
    const outcome = this.finish(count, mine, start);
    const first = Atomics.load(ctl, 18);
    return { outcome, first: first === 0x7fffffff ? -1 : first };
  }

  /**
   * A pass over n independent elements (or rows, or columns) cut into `count` (≤ 255) slabs of `chunk` that the
   * threads claim as they do a matmul's, so the results are the single-threaded ones:
   * - 'scaledAdd': y[i] += alpha·x[i] (p = y, q = x); the result is 1 when every y written is finite, else 0;
   * - 'firstNonFinite': the index of x's first NaN or ±Inf (p = x), −1 if none;
   * - 'prepackA' / 'prepackB': rows (columns) of op(A) [n×k] (op(B) [k×n]) at p packed whole at q (gemm.asm.ts,
   *   prepackA / prepackB; `transpose`, `wide` as there); chunk is a multiple of the panel height (width);
   * - 'biasActivation': rows of x [n×k] (p), bias q, into pre and out (r, s); `act`, `alpha` its code and param;
   * - 'activationBackward': elements of dy (p), pre (q), out (r) into dx (s); `act`, `alpha` as above;
   * - 'columnSums': columns of x [k×n] (p) summed into out (q); `act` 1 to accumulate;
   * - 'prepackBGrad': columns of a Dense layer's dZ [k×n] = dy (p)·f'(pre (q)), with out r, written to dz (s),
   *   packed whole at u as prepackB packs it, their sums into db (t); `act`, `alpha`, `wide` as above.
   * The element-wise ones keep every element on the SIMD or the scalar path it takes unsplit when each slab but
   * the last holds a multiple of 4 elements.
   */
  runVector(
    op: VectorOp,
    p: number,
    q: number,
    n: number,
    chunk: number,
    count: number,
    {
      alpha = 0,
      k = 0,
      transpose = false,
      wide = false,
      act = 0,
      r = 0,
      s: sAddr = 0,
      t = 0,
      u = 0,
    }: VectorOptions = {},
  ): { result: number; outcome: SplitOutcome } {
    const ctl = this.ctl!,
      arg = this.arg,
      kernels = this.kernels;
    const tag = this.nextTag();
    const code = VECTOR_OPS.indexOf(op);
    arg[3] = p;
    arg[4] = q;
    this.real[5] = alpha;
    arg[6] = n;
    arg[7] = k;
    arg[8] = code === 7 ? act | (wide ? 256 : 0) : code >= 4 ? act : (transpose ? 1 : 0) | (wide ? 2 : 0);
    arg[16] = r;
    arg[17] = sAddr;
    arg[19] = t;
    arg[20] = u;
    arg[9] = 16;
    arg[10] = code;
    arg[11] = chunk;
    arg[12] = count;
    ctl[13] = 1;
    ctl[14] = 0x7fffffff;
    this.post(tag);
    const start = performance.now();
    const mine = this.claimAll(count, (index) => {
      const s = index * chunk,
        len = Math.min(n - s, chunk);
      if (code === 0) {
        if (!kernels.scaledAdd(p + s * 4, q + s * 4, alpha, len)) Atomics.store(ctl, 13, 0);
      } else if (code === 1) {
        const i = kernels.firstNonFinite(p + s * 4, len);
        if (i >= 0) atomicMin(ctl, 14, s + i);
      } else if (code === 2 || code === 3) {
        const pack = code === 2 ? kernels.prepackA : kernels.prepackB;
        pack(p, n, k, transpose, wide, q, s, s + len);
      } else if (code === 7) {
        kernels.prepackBGrad(p, q, r, sAddr, t, n, k, act, alpha, wide, u, s, s + len);
      } else if (code === 4) {
        const o = s * k * 4;
        kernels.biasActivation(p + o, q, r + o, sAddr + o, len, k, act, alpha);
      } else if (code === 5) {
        const o = s * 4;
        kernels.activationBackward(p + o, q + o, r + o, sAddr + o, len, act, alpha);
      } else {
        kernels.columnSums(p + s * 4, q + s * 4, k, len, n, act !== 0);
      }
    });
    const outcome = this.finish(count, mine, start);
    const first = Atomics.load(ctl, 14);
    const result = code === 0 ? Atomics.load(ctl, 13) : code === 1 ? (first === 0x7fffffff ? -1 : first) : 0;
    return { result, outcome };
  }

  /** Claim the posted job's slabs until none are left, running `slab` on each; the number claimed. */
  private claimAll(count: number, slab: (index: number) => void): number {
    const ctl = this.ctl!;
    let mine = 0;
    for (;;) {
      const v = Atomics.load(ctl, 1);
      if ((v & 255) >= count) return mine;
      if (Atomics.compareExchange(ctl, 1, v, v + 1) !== v) continue;
      slab(v & 255);
      mine++;
    }
  }

  /** The next job's claim tag (its sequence number, which `post` publishes). */
  private nextTag(): number {
    this.seq = (this.seq + 1) | 0;
    return (this.seq & 0x7fffff) << 8;
  }

  /**
   * Publish the job whose arguments are written: copy them into the arguments block, reset its counters, open
   * its claims, wake the workers. The copies are atomic stores (and workers copy them out with atomic loads), made
   * after `finish` closed the last job's claims: a worker still reading that job's arguments when these land
   * (it woke late) reads a mix, but then finds the claims closed or under another tag, so it never runs a slab
   * with them. Plain stores would give no such ordering (JS memory model; weakly ordered CPUs).
   */
  private post(tag: number): void {
    const ctl = this.ctl!,
      args = this.args!,
      job = this.job;
    for (let i = 3; i < CTL_INTS; i++) Atomics.store(args, i, job[i]!);
    Atomics.store(ctl, 2, 0);
    Atomics.store(ctl, 1, tag);
    Atomics.store(ctl, 0, this.seq);
    Atomics.notify(ctl, 0);
  }

  /** Wait for the workers' slabs of the job the caller did `mine` slabs of, starting at `start`; its outcome. */
  private finish(count: number, mine: number, start: number): SplitOutcome {
    const ctl = this.ctl!;
    // Wait for the slabs the workers claimed (none, if they were too slow to claim any), spinning for as long
    // as the caller's own share took (at least STALL_MS, at most STALL_MAX_MS): a worker that needs longer than
    // that for a slab of the same size was descheduled mid-slab. Then sleep until it is done: a stall.
    const waitFrom = performance.now();
    const budget = Math.min(STALL_MAX_MS, Math.max(STALL_MS, waitFrom - start));
    let stalled = false;
    for (let d = Atomics.load(ctl, 2), spins = 1; d + mine < count; d = Atomics.load(ctl, 2), spins++) {
      if (stalled) Atomics.wait(ctl, 2, d, 20);
      else if ((spins & 255) === 0) stalled = performance.now() - waitFrom > budget;
    }
    // Close the claims (no job has this tag) before the next job's arguments are written: see `post`.
    Atomics.store(ctl, 1, CLOSED);
    if (ctl[15] !== 0) {
      ctl[15] = 0;
      throw new RangeError('wasm matmul worker trapped (array out of bounds?)');
    }
    return stalled ? SPLIT_STALLED : mine === count ? SPLIT_UNCLAIMED : SPLIT_PAID;
  }

  /** Stop the workers (they are unref'd, so this is only needed to free them early). */
  dispose(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
    this.state = false;
  }
}
