/**
 * Helper threads for large matmuls (Node only): worker_threads that
 * instantiate the same wasm module over the same shared memory and run
 * `gemm` on a sub-range of C on request.
 *
 * A job is C cut into `count` slabs of `chunk` columns (or rows). Every
 * thread, the caller included, claims slabs with Atomics.add on a shared
 * counter until none are left, so a thread the OS deschedules (busy machine)
 * simply ends up doing fewer slabs. Results do not depend on who computes what.
 *
 * Protocol, per worker, through 16 Int32s inside the shared memory:
 *   [0] seq   — the main thread bumps it (and notifies) to post a job
 *   [1] done  — the worker stores the seq it finished (−1 until it is ready)
 *   [2..11]   — job arguments (read as Uint32: addresses may exceed 2^31)
 *   [15]      — set by the worker if its gemm trapped
 * Workers sleep in Atomics.wait between jobs, are unref'd (an idle pool never
 * keeps the process alive) and are started lazily on the first large matmul.
 * Their code is an eval'd CommonJS string and the compiled module travels in
 * workerData, so nothing depends on file paths or on the tsx loader.
 */
import type * as WorkerThreadsModule from 'node:worker_threads';
import type { WasmHeap } from './heap.js';

type WorkerThreads = typeof WorkerThreadsModule;

const nodeProcess = (
  globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }
).process;
const isNode = typeof nodeProcess?.versions?.node === 'string';

function builtin<T>(id: string): T | null {
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
const { module, memory, ctlAddr, counterAddr, scratch } = workerData;
const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm;
const ctl = new Int32Array(memory.buffer, ctlAddr, 16);
const arg = new Uint32Array(memory.buffer, ctlAddr, 16);
const counter = new Int32Array(memory.buffer, counterAddr, 1);
Atomics.store(ctl, 1, 0);
Atomics.notify(ctl, 1);
let seen = 0;
for (;;) {
  Atomics.wait(ctl, 0, seen);
  const seq = Atomics.load(ctl, 0);
  if (seq === seen) continue;
  seen = seq;
  const a = arg[2], b = arg[3], c = arg[4], m = arg[5], n = arg[6], k = arg[7], f = arg[8];
  const byCols = arg[9], chunk = arg[10], count = arg[11];
  try {
    for (let t = Atomics.add(counter, 0, 1); t < count; t = Atomics.add(counter, 0, 1)) {
      const s = t * chunk;
      if (byCols) gemm(a, b, c, m, n, k, f & 1, (f >> 1) & 1, (f >> 2) & 1, 0, m, s, Math.min(n, s + chunk), scratch);
      else gemm(a, b, c, m, n, k, f & 1, (f >> 1) & 1, (f >> 2) & 1, s, Math.min(m, s + chunk), 0, n, scratch);
    }
  } catch (e) {
    ctl[15] = 1; // a trap (bad address): report it rather than leave the caller waiting
  }
  Atomics.store(ctl, 1, seq);
  Atomics.notify(ctl, 1);
}
`;

const CTL_INTS = 16;

/** gemm from the kernels' exports (see KernelExports in wasm-backend.ts). */
type GemmFn = (
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
) => void;

export class GemmPool {
  private readonly workers: WorkerThreadsModule.Worker[] = [];
  private readonly ctl: Int32Array[] = [];
  private readonly arg: Uint32Array[] = [];
  private counter: Int32Array | null = null;
  private seq = 0;
  /** undefined: not started yet; true: running; false: failed to start (stay single-threaded). */
  private state: boolean | undefined;

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly heap: WasmHeap,
    private readonly scratchBytes: number,
    /** Number of helper workers (threads − 1). */
    readonly size: number,
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
    const counterAddr = this.heap.alloc(4);
    if (counterAddr < 0) return false;
    this.counter = new Int32Array(this.heap.memory.buffer, counterAddr, 1);
    for (let w = 0; w < this.size; w++) {
      const ctlAddr = this.heap.alloc(CTL_INTS * 4);
      const scratch = this.heap.alloc(this.scratchBytes);
      if (ctlAddr < 0 || scratch < 0) {
        this.dispose();
        return false;
      }
      const ctl = new Int32Array(this.heap.memory.buffer, ctlAddr, CTL_INTS);
      Atomics.store(ctl, 0, 0);
      Atomics.store(ctl, 1, -1);
      const worker = new workerThreads.Worker(WORKER_SOURCE, {
        eval: true,
        execArgv: [], // no --import tsx etc.: the worker runs plain JS
        workerData: { module: this.module, memory: this.heap.memory, ctlAddr, counterAddr, scratch },
      });
      worker.unref();
      worker.on('error', () => {
        this.state = false;
      });
      this.workers.push(worker);
      this.ctl.push(ctl);
      this.arg.push(new Uint32Array(ctl.buffer, ctlAddr, CTL_INTS));
    }
    // Worker start-up does not need our event loop, so we can simply block on it.
    for (const ctl of this.ctl) {
      if (Atomics.wait(ctl, 1, -1, 5000) === 'timed-out') {
        this.dispose();
        return false;
      }
    }
    this.state = true;
    return true;
  }

  /**
   * Compute C = / += op(A)·op(B) as `count` slabs of `chunk` columns (byCols) or rows,
   * shared between the workers and the calling thread (which uses `gemm` with `scratch`).
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
    byCols: boolean,
    chunk: number,
    count: number,
  ): void {
    const counter = this.counter!;
    Atomics.store(counter, 0, 0);
    const seq = ++this.seq;
    const flags = (transA ? 1 : 0) | (transB ? 2 : 0) | (accumulate ? 4 : 0);
    for (let w = 0; w < this.workers.length; w++) {
      const arg = this.arg[w]!;
      arg[2] = a;
      arg[3] = b;
      arg[4] = c;
      arg[5] = m;
      arg[6] = n;
      arg[7] = k;
      arg[8] = flags;
      arg[9] = byCols ? 1 : 0;
      arg[10] = chunk;
      arg[11] = count;
      Atomics.store(this.ctl[w]!, 0, seq);
      Atomics.notify(this.ctl[w]!, 0);
    }
    for (let t = Atomics.add(counter, 0, 1); t < count; t = Atomics.add(counter, 0, 1)) {
      const s = t * chunk;
      if (byCols) gemm(a, b, c, m, n, k, transA, transB, accumulate, 0, m, s, Math.min(n, s + chunk), scratch);
      else gemm(a, b, c, m, n, k, transA, transB, accumulate, s, Math.min(m, s + chunk), 0, n, scratch);
    }
    this.wait(seq);
  }

  /** Block until every worker finished job `seq`. */
  private wait(seq: number): void {
    for (const ctl of this.ctl) {
      let spins = 0;
      for (let d = Atomics.load(ctl, 1); d !== seq; d = Atomics.load(ctl, 1)) {
        if (++spins > 1000) Atomics.wait(ctl, 1, d, 50);
      }
      if (ctl[15] !== 0) {
        ctl[15] = 0;
        throw new RangeError('wasm matmul worker trapped (array out of bounds?)');
      }
    }
  }

  /** Stop the workers (they are unref'd, so this is only needed to free them early). */
  dispose(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
    this.ctl.length = 0;
    this.arg.length = 0;
    this.state = false;
  }
}
