/**
 * The WebAssembly SIMD KernelBackend: thin JS wrappers that turn arrays into
 * addresses and call the AssemblyScript kernels (./assembly/).
 *
 * Zero-copy: arrays from `allocate` are views into the wasm memory and are
 * passed by address. Any other array is copied into a staging area first (and
 * outputs copied back), so results never depend on where an array lives;
 * identical foreign arrays (same buffer and offset) share one staged copy, which
 * keeps the aliasing the interface allows (pre = x, dx = dy, ...) intact.
 */
import { ActivationCode, denseGradsFrom, type ConvGeometry, type KernelBackend } from '../backend.js';
import { jsBackend } from '../js/js-backend.js';
import { WasmHeap } from './heap.js';
import { GemmPool, SPLIT_PAID, SPLIT_STALLED, type GemmFn, type SlabWork, type SplitOutcome } from './threads.js';
import type { VectorOp, VectorOptions } from './threads.js';

/** The kernels' exports (./assembly/index.asm.ts); addresses are byte offsets, bools are 0/1. */
export interface KernelExports {
  gemmScratchBytes(): number;
  gemm: GemmFn;
  /** gemm with the 3×12 tile (relaxed builds; the same as gemm in plain ones), same bits. */
  gemmWide: GemmFn;
  /** gemm for C at most 12 wide, A unpacked (relaxed builds; elsewhere gemmWide), same bits. */
  gemmSkinny: GemmFn;
  /** Bytes prepackA / prepackB write for a whole operand (`wide`: the 3×12 tile's panels). */
  prepackABytes(m: number, k: number, wide: boolean): number;
  prepackBBytes(n: number, k: number, wide: boolean): number;
  /** Rows [r0, r1) of op(A) (columns [c0, c1) of op(B)) packed whole, for the threads to share (preA, preB). */
  prepackA(a: number, m: number, k: number, transA: boolean, wide: boolean, dst: number, r0: number, r1: number): void;
  prepackB(b: number, n: number, k: number, transB: boolean, wide: boolean, dst: number, c0: number, c1: number): void;
  /** prepackB of a Dense layer's dZ = dy·f'(pre), computed on the way, its column sums into db (gemm.asm.ts). */
  prepackBGrad(
    dy: number,
    pre: number,
    out: number,
    dz: number,
    db: number,
    n: number,
    k: number,
    code: number,
    param: number,
    wide: boolean,
    dst: number,
    c0: number,
    c1: number,
  ): void;
  biasActivation(
    x: number,
    bias: number,
    pre: number,
    out: number,
    rows: number,
    cols: number,
    act: number,
    param: number,
  ): void;
  activationBackward(dy: number, pre: number, out: number, dx: number, n: number, act: number, param: number): void;
  columnSums(x: number, out: number, rows: number, cols: number, ld: number, accumulate: boolean): void;
  batchNormTrainForward(
    x: number,
    gamma: number,
    beta: number,
    out: number,
    xhat: number,
    mean: number,
    variance: number,
    invStd: number,
    rows: number,
    cols: number,
    epsilon: number,
  ): void;
  batchNormTrainBackward(
    dy: number,
    xhat: number,
    gamma: number,
    invStd: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    rows: number,
    cols: number,
  ): void;
  batchNormInference(
    x: number,
    mean: number,
    variance: number,
    gamma: number,
    beta: number,
    out: number,
    rows: number,
    cols: number,
    epsilon: number,
  ): void;
  batchNormInferenceBackward(
    dy: number,
    x: number,
    mean: number,
    variance: number,
    gamma: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    rows: number,
    cols: number,
    epsilon: number,
  ): void;
  scaledAdd(y: number, x: number, alpha: number, n: number): number;
  adamUpdate(
    w: number,
    g: number,
    m: number,
    v: number,
    vHat: number,
    n: number,
    alpha: number,
    c1: number,
    c2: number,
    epsilon: number,
  ): void;
  momentumUpdate(w: number, g: number, v: number, n: number, lr: number, mu: number, nesterov: boolean): void;
  adagradUpdate(w: number, g: number, a: number, n: number, lr: number, epsilon: number): void;
  adadeltaUpdate(w: number, g: number, ag: number, ad: number, n: number, lr: number, rho: number, eps: number): void;
  adamaxUpdate(
    w: number,
    g: number,
    m: number,
    u: number,
    n: number,
    lr: number,
    c1: number,
    b2: number,
    correction: number,
    epsilon: number,
  ): void;
  lionUpdate(w: number, g: number, m: number, n: number, lr: number, b1: number, b2: number): void;
  weightDecay(w: number, n: number, decay: number): void;
  nadamUpdate(
    w: number,
    g: number,
    m: number,
    v: number,
    n: number,
    lr: number,
    c1: number,
    c2: number,
    uNext: number,
    d1: number,
    cT: number,
    d2: number,
    vCorrection: number,
    epsilon: number,
  ): void;
  emaUpdate(average: number, w: number, n: number, momentum: number, complement: number): void;
  rmspropUpdate(
    w: number,
    g: number,
    v: number,
    mom: number,
    avg: number,
    n: number,
    lr: number,
    rho: number,
    mu: number,
    epsilon: number,
  ): void;
  multiply(a: number, b: number, out: number, n: number): void;
  keepMask(state: number, out: number, n: number, rate: number, keep: number): void;
  firstNonFinite(x: number, n: number): number;
  firstNonFiniteBlock(x: number, ld: number, rows: number, cols: number): number;
}

export interface WasmBackendOptions {
  /** Threads for large matmuls, the calling one included (default: all cores; 1 = no workers). Node only. */
  threads?: number;
  /** Matmuls with m·n·k below this stay on the calling thread (default 2^16). */
  parallelThreshold?: number;
  /**
   * Non-shared memory only: its fixed size in MiB (default 256), since it cannot grow once
   * views are out (see heap.ts). A shared memory starts small and grows on demand.
   */
  memoryMB?: number;
  /** Set false to use a non-shared memory even where SharedArrayBuffer exists (tests, debugging). */
  sharedMemory?: boolean;
  /**
   * Use the relaxed-SIMD build (fused multiply-add in the matmul: one rounding per step instead of two, so
   * results differ in the last bits). Default: where the runtime supports it (Node 22+, current browsers).
   * A runtime without it cannot take true (the module would not compile).
   */
  relaxedSimd?: boolean;
}

/** The wasm backend, with a few extras beyond KernelBackend. */
export interface WasmBackend extends KernelBackend {
  /** Threads large matmuls may use (1 = single-threaded). */
  readonly threads: number;
  /** Whether helper threads have been started (lazily, by the first large matmul). */
  readonly threadsStarted: boolean;
  /** Whether the relaxed-SIMD build (fused multiply-add) runs. */
  readonly relaxedSimd: boolean;
  /** Whether the linear memory is SharedArrayBuffer-backed. */
  readonly sharedMemory: boolean;
  readonly memory: WebAssembly.Memory;
  /** Hand a buffer from `allocate` back for reuse (optional; never needed for correctness). */
  release(view: Float32Array): void;
  /** Terminate helper threads early (they never keep the process alive anyway). */
  dispose(): void;
}

/**
 * Matmuls with at least this many multiply-adds are split across threads (default of `parallelThreshold`):
 * about 4 µs of single-threaded work, where the hand-off to a spinning worker (well under a microsecond) and
 * the second copy of the packed operand are still small next to the half saved.
 */
const MID_SIZE_THRESHOLD = 1 << 16;
const MIN_BACKOFF = 64,
  MAX_BACKOFF = 1 << 16;

/**
 * Element-wise passes over at least this many floats (the SGD update, the NaN scan, bias + activation, its
 * gradient, column sums) are split across the threads once they run.
 */
const VECTOR_SPLIT_MIN = 1 << 17;

/** Floats per block when firstNonFinite scans an array outside wasm memory through the staging area. */
const SCAN_BLOCK = 1 << 15;

/** The largest whole packed operand the threads share (gemm's preA / preB); beyond it each slab packs its own. */
const PREPACK_MAX_BYTES = 64 << 20;

/**
 * Whether C (m×n) takes the relaxed build's 3×12 tile (gemm.asm.ts, kernel3x12: ~7% faster than 4×8 on whole
 * tiles): where it has at least two whole tiles each way, and the tiles it covers, edges rounded up, are within
 * 3% of the 4×8 tiles'. So 256×1024 and 1024² do; 32×100 (7% more), 8192×32 (12%) and anything 10 wide (every
 * tile an edge tile, measured 0.86–0.89× on W1's and W2's output layers) do not. Both tiles give the same bits.
 */
function takesWideTile(m: number, n: number): boolean {
  if (m < 6 || n < 24) return false;
  const wide = Math.ceil(m / 3) * 3 * Math.ceil(n / 12) * 12;
  const narrow = Math.ceil(m / 4) * 4 * Math.ceil(n / 8) * 8;
  return wide * 100 <= narrow * 103;
}

/**
 * A Dense layer's dZ = dy·f'(pre) and its column sums into db (0: none), made just before the product that reads
 * dZ as B (denseGrads): with dZ's packing where the threads share it (prepackBGrad), else on their own.
 */
interface DenseGrad {
  dy: number;
  pre: number;
  out: number;
  db: number;
  code: ActivationCode;
  param: number;
}

const IN = 1,
  OUT = 2,
  INOUT = 3;
interface Staged {
  arr: Float32Array;
  len: number;
  mode: number;
  addr: number;
}

export function instantiateWasmBackend(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  shared: boolean,
  maxPages: number,
  threads: number,
  options: WasmBackendOptions,
  relaxedSimd = false,
): WasmBackend {
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  const heap = new WasmHeap(memory, shared, maxPages);
  const scratchBytes = ex.gemmScratchBytes();
  // Reserve our own scratch before any view leaves (a non-shared heap cannot grow after).
  const scratch = heap.alloc(scratchBytes);
  let stageAddr = heap.alloc(1 << 20),
    stageBytes = 1 << 20;
  if (scratch < 0 || stageAddr < 0) throw new RangeError('wasm backend: memory too small for its scratch');
  const rngState = heap.alloc(16); // keepMask's generator state, copied in and out per call
  if (rngState < 0) throw new RangeError('wasm backend: memory too small for its scratch');
  const pool = threads > 1 && shared ? new GemmPool(module, heap, scratchBytes, threads - 1, ex) : null;
  const threshold = options.parallelThreshold ?? MID_SIZE_THRESHOLD;
  // Mid-size products (below 2^22 multiply-adds) and element-wise passes are split only while splitting pays:
  // after a split that stalled (threads.ts: the caller slept waiting for a worker descheduled mid-slab, i.e. the
  // machine is busy) they stay on the calling thread for the next `backoff` of them, a number that doubles while
  // splits keep stalling (up to MAX_BACKOFF) and starts over after one that paid. A split no worker claimed (it
  // was asleep and is waking up) changes nothing. Results are the same either way.
  let midBackoff = 0,
    backoff = MIN_BACKOFF;

  /** Whether a mid-size split may run now (false while backing off: this call counts down the backoff). */
  function midSplitAllowed(): boolean {
    if (midBackoff === 0) return true;
    midBackoff--;
    return false;
  }

  /** What a mid-size split came to: a stall starts (or lengthens) the backoff, a split that paid ends it. */
  function settle(outcome: SplitOutcome): void {
    if (outcome === SPLIT_STALLED) {
      midBackoff = backoff;
      backoff = Math.min(2 * backoff, MAX_BACKOFF);
    } else if (outcome === SPLIT_PAID) backoff = MIN_BACKOFF;
  }

  /**
   * The arrays' addresses (0 for an absent optional one) when all of them are in wasm memory, else null: the
   * optimizer updates then run on the JS reference (state restored from a file, say).
   */
  function inHeap(arrays: (Float32Array | null)[]): number[] | null {
    const p = arrays.map((a) => (a === null ? 0 : heap.address(a)));
    return p.every((q) => q >= 0) ? p : null;
  }

  /**
   * Slow path: stage the arrays not in wasm memory, run `call` with all
   * addresses, copy outputs back. False when the staging area cannot be had
   * (full non-shared heap): the caller then uses the JS reference.
   */
  function staged(
    arrays: (Float32Array | null)[],
    lengths: number[],
    modes: number[],
    call: (addr: number[]) => void,
  ): boolean {
    const addr: number[] = [];
    const foreign: Staged[] = [];
    const which: number[] = [];
    for (let i = 0; i < arrays.length; i++) {
      const a = arrays[i]!;
      if (a === null) {
        addr.push(0);
        which.push(-1);
        continue;
      }
      const at = heap.address(a);
      addr.push(at);
      which.push(-1);
      if (at >= 0) continue;
      let f = foreign.findIndex((s) => s.arr.buffer === a.buffer && s.arr.byteOffset === a.byteOffset);
      if (f < 0) {
        f = foreign.length;
        foreign.push({ arr: a, len: 0, mode: 0, addr: 0 });
      }
      const s = foreign[f]!;
      s.len = Math.max(s.len, lengths[i]!);
      s.mode |= modes[i]!;
      which[i] = f;
    }
    let bytes = 0;
    for (const s of foreign) {
      s.addr = bytes;
      bytes += Math.ceil(s.len / 4) * 16;
    }
    if (bytes > stageBytes) {
      const size = Math.max(bytes, stageBytes * 2);
      const at = heap.alloc(size);
      if (at < 0) return false;
      heap.release(stageAddr, stageBytes);
      stageAddr = at;
      stageBytes = size;
    }
    for (const s of foreign) {
      s.addr += stageAddr;
      if (s.mode & IN) heap.view(s.addr, s.len).set(s.arr.subarray(0, s.len));
    }
    for (let i = 0; i < arrays.length; i++) if (which[i]! >= 0) addr[i] = foreign[which[i]!]!.addr;
    call(addr);
    for (const s of foreign) if (s.mode & OUT) s.arr.set(heap.view(s.addr, s.len));
    return true;
  }

  function gemm(
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    tA: boolean,
    tB: boolean,
    acc: boolean,
    work: SlabWork = {},
    grad?: DenseGrad,
  ): number {
    const macs = m * n * k;
    // dZ still to make before anything reads B (denseGradParts), unless prepackBGrad makes it while packing B.
    let gradPending = grad;
    const large = macs >= 1 << 22;
    // At most 12 columns, and A large enough (or transposed) that packing it costs more than it saves: one 3×12
    // panel of B and A read unpacked (gemmSkinny; one thread: 256×1024×10 in 167 µs against 254 with 4×8,
    // 1024×256×10 Aᵀ 226 against 420, 100×32×10 Aᵀ 3.3 against 4.0; but 32×784×10 29 against 27). Same bits
    // whichever driver runs.
    const skinny = relaxedSimd && n <= 12 && (tA || m * k >= 1 << 16);
    const wide = skinny || (relaxedSimd && takesWideTile(m, n));
    const run = skinny ? ex.gemmSkinny : wide ? ex.gemmWide : ex.gemm;
    if (pool !== null && macs >= threshold && (large || midSplitAllowed()) && pool.ensureStarted()) {
      // Cut the longer side of C into slabs aligned to the micro-tile (8 cols / 4 rows; 12 / 3 for the wide
      // tile): one per thread for mid-size products (every slab repacks the other operand), ~8 per thread for
      // large ones; threads claim slabs dynamically (see threads.ts). Large products' slabs share the packing of
      // the operand they all need (below), so more slabs cost little, and a thread descheduled mid-slab holds up
      // less: on a contended host W2 ran 1.5–8% faster (medians of three runs of 24 ABBA pairs) than with ~4 per
      // thread, and the same within ±2% on a quiet one.
      // A transposed is packed from strided columns, which costs more than B's contiguous rows: cut C by rows
      // then (each slab packs only its own rows of A, and all of B) rather than having every slab pack all of A
      // (measured on 1024×256×1024 Aᵀ, two threads: 0.84× the untransposed product when cut by columns).
      const byCols = skinny ? false : tA && !tB && m >= 64 ? false : n >= m;
      const unit = byCols ? (wide ? 12 : 8) : wide ? 3 : 4,
        len = byCols ? n : m;
      const perThread = large ? 8 : 1;
      const chunk = Math.ceil(len / (perThread * threads) / unit) * unit;
      const count = Math.ceil(len / chunk);
      if (count > 1) {
        // A large product's slabs share one packing of the operand they all need (A when C is cut by columns,
        // B by rows), made here once, instead of each slab packing it again: 3–7% faster on W2's products
        // (two threads, ABBA in one process), same bits. Operands past PREPACK_MAX_BYTES pack per slab.
        let preA = 0,
          preB = 0;
        const bytes = !large || skinny ? 0 : byCols ? ex.prepackABytes(m, k, wide) : ex.prepackBBytes(n, k, wide);
        if (bytes > 0 && bytes <= PREPACK_MAX_BYTES) {
          const at = prepackArea(bytes);
          // Packed by both threads, half each: a split of its own just before the product's.
          const dim = byCols ? m : n,
            panel = byCols ? (wide ? 3 : 4) : wide ? 12 : 8,
            half = Math.ceil(dim / threads / panel) * panel;
          const options = { k, transpose: byCols ? tA : tB, wide };
          const halves = Math.ceil(dim / half);
          if (at > 0 && byCols) pool.runVector('prepackA', a, (preA = at), dim, half, halves, options);
          else if (at > 0 && grad !== undefined && !tB) {
            // dZ computed, packed and summed in one pass, by both threads (prepackBGrad).
            const { dy, pre, out, db, code, param } = grad;
            const more = { k, wide, act: code, alpha: param, r: out, s: b, t: db, u: (preB = at) };
            pool.runVector('prepackBGrad', dy, pre, dim, half, halves, more);
            gradPending = undefined;
          } else if (at > 0) {
            gradPending = denseGradParts(gradPending, b, k, n);
            pool.runVector('prepackB', b, (preB = at), dim, half, halves, options);
          }
        }
        gradPending = denseGradParts(gradPending, b, k, n);
        const tile = skinny ? 'skinny' : wide ? 'wide' : 'narrow';
        const slabs = { byCols, chunk, count, tile, preA, preB } as const;
        const { outcome, first } = pool.run(run, scratch, a, b, c, m, n, k, tA, tB, acc, slabs, work);
        if (!large) settle(outcome);
        return first;
      }
    }
    denseGradParts(gradPending, b, k, n);
    run(a, b, c, m, n, k, tA, tB, acc, 0, m, 0, n, scratch, 0, 0);
    return work.scan === true ? ex.firstNonFinite(c, m * n) : -1;
  }

  /** A Dense layer's dZ [rows×units] at dz and its column sums, unfused (see DenseGrad), if g is given; none left. */
  function denseGradParts(g: DenseGrad | undefined, dz: number, rows: number, units: number): undefined {
    if (g === undefined) return;
    if (g.code !== ActivationCode.Linear || dz !== g.dy)
      activationBackwardAt(g.dy, g.pre, g.out, dz, rows * units, g.code, g.param);
    if (g.db !== 0) columnSumsAt(dz, g.db, rows, units, false);
  }

  /** activationBackward on addresses: both threads on long arrays. */
  function activationBackwardAt(
    dy: number,
    pre: number,
    out: number,
    dx: number,
    n: number,
    act: ActivationCode,
    param: number,
  ): void {
    const split = vectorSplit(n);
    if (split === null) return ex.activationBackward(dy, pre, out, dx, n, act, param);
    vector('activationBackward', dy, pre, n, split, { act, alpha: param, r: out, s: dx });
  }

  /** columnSums on addresses: threads sum column ranges (a multiple of 16), each column in row order. */
  function columnSumsAt(x: number, out: number, rows: number, cols: number, accumulate: boolean): void {
    const split = vectorSplit(rows * cols);
    if (split === null) return ex.columnSums(x, out, rows, cols, cols, accumulate);
    const chunk = Math.ceil(cols / (2 * threads) / 16) * 16;
    vector('columnSums', x, out, cols, chunk, { k: rows, act: accumulate ? 1 : 0 });
  }

  /**
   * firstNonFinite of an array outside wasm memory (fit's x, made by `tensor()`): copied through the staging area
   * in blocks that stay in L2, each scanned in SIMD. The copy runs at memcpy speed: the benchmark's W2 inputs
   * (2.4·10^6 floats per fit) scan in 1.4–1.6 ms against 2.3–2.7 ms in JS.
   */
  function stagedScan(x: Float32Array, n: number): number {
    const block = Math.min(stageBytes >> 2, SCAN_BLOCK);
    const view = heap.view(stageAddr, block);
    for (let s = 0; s < n; s += block) {
      const len = Math.min(block, n - s);
      view.set(x.subarray(s, s + len));
      const i = ex.firstNonFinite(stageAddr, len);
      if (i >= 0) return s + i;
    }
    return -1;
  }

  /**
   * The slab length (elements, a multiple of 64) when a memory-bound pass over n elements is worth both cores:
   * W2's weights and gradients (10^6 floats per layer) update and scan in about half the time on two threads.
   * Only where the threads already run (a large matmul started them), and not while splits are backing off
   * (a busy machine). Null: one thread.
   */
  function vectorSplit(n: number): number | null {
    if (n < VECTOR_SPLIT_MIN || pool === null || !pool.running || !midSplitAllowed()) return null;
    return Math.ceil(n / (2 * threads) / 64) * 64;
  }

  /**
   * GemmPool.runVector over n elements (rows, columns) in slabs of `chunk`, for an element-wise pass that
   * vectorSplit allowed; its outcome counts as a mid-size split's.
   */
  function vector(op: VectorOp, p: number, q: number, n: number, chunk: number, options: VectorOptions = {}): number {
    const { result, outcome } = pool!.runVector(op, p, q, n, chunk, Math.ceil(n / chunk), options);
    settle(outcome);
    return result;
  }

  let prepackAt = 0,
    prepackBytes = 0;
  /** The area for a whole packed operand, grown to `bytes` if need be; 0 when the heap has no room. */
  function prepackArea(bytes: number): number {
    if (bytes <= prepackBytes) return prepackAt;
    const at = heap.alloc(bytes);
    if (at < 0) return 0;
    if (prepackBytes > 0) heap.release(prepackAt, prepackBytes);
    prepackAt = at;
    prepackBytes = bytes;
    return at;
  }

  const backend: WasmBackend = {
    name: 'wasm',
    threads: pool !== null ? threads : 1,
    sharedMemory: shared,
    relaxedSimd,
    memory,
    get threadsStarted() {
      return pool?.running ?? false;
    },

    allocate: (length) => heap.allocateView(length),

    release(view) {
      const at = heap.address(view);
      if (at >= 0) heap.release(at, view.length * 4);
    },

    dispose() {
      pool?.dispose();
    },

    matmul(a, b, c, m, n, k, transA, transB, accumulate) {
      if (m <= 0 || n <= 0) return;
      const pa = heap.address(a),
        pb = heap.address(b),
        pc = heap.address(c);
      if (pa >= 0 && pb >= 0 && pc >= 0) return gemm(pa, pb, pc, m, n, k, transA, transB, accumulate);
      const ok = staged([a, b, c], [m * k, k * n, m * n], [IN, IN, accumulate ? INOUT : OUT], (p) =>
        gemm(p[0]!, p[1]!, p[2]!, m, n, k, transA, transB, accumulate),
      );
      if (!ok) jsBackend.matmul(a, b, c, m, n, k, transA, transB, accumulate);
    },

    matmulScanned(a, b, c, m, n, k, transA, transB) {
      if (m <= 0 || n <= 0) return -1;
      const pa = heap.address(a),
        pb = heap.address(b),
        pc = heap.address(c);
      if (pa >= 0 && pb >= 0 && pc >= 0) return gemm(pa, pb, pc, m, n, k, transA, transB, false, { scan: true });
      let first = -1;
      const ok = staged([a, b, c], [m * k, k * n, m * n], [IN, IN, OUT], (p) => {
        first = gemm(p[0]!, p[1]!, p[2]!, m, n, k, transA, transB, false, { scan: true });
      });
      return ok ? first : jsBackend.matmulScanned(a, b, c, m, n, k, transA, transB);
    },

    denseGrads(x, dy, pre, out, dz, dw, db, rows, inFeatures, units, act: ActivationCode, param) {
      const p = rows > 0 && inFeatures > 0 && units > 0 ? inHeap([x, dy, pre, out, dz, dw, db]) : null;
      if (p !== null) {
        const grad = { dy: p[1]!, pre: p[2]!, out: p[3]!, db: p[6]!, code: act, param };
        return gemm(p[0]!, p[4]!, p[5]!, inFeatures, units, rows, true, false, false, { scan: true }, grad);
      }
      return denseGradsFrom(backend, x, dy, pre, out, dz, dw, db, rows, inFeatures, units, act, param);
    },

    biasActivation(x, bias, pre, out, rows, cols, act: ActivationCode, param) {
      if (rows <= 0 || cols <= 0) return;
      const px = heap.address(x),
        pbias = bias === null ? 0 : heap.address(bias);
      const ppre = heap.address(pre),
        pout = heap.address(out);
      if (px >= 0 && pbias >= 0 && ppre >= 0 && pout >= 0) {
        // Rows in slabs of a multiple of 4 (see GemmPool.runVector): the single-threaded bits.
        const split = vectorSplit(rows * cols);
        const chunk = split === null ? rows : Math.ceil(split / cols / 4) * 4;
        if (chunk >= rows) return ex.biasActivation(px, pbias, ppre, pout, rows, cols, act, param);
        const options = { k: cols, act, alpha: param, r: ppre, s: pout };
        vector('biasActivation', px, pbias, rows, chunk, options);
        return;
      }
      const n = rows * cols;
      const ok = staged([x, bias, pre, out], [n, cols, n, n], [IN, IN, OUT, OUT], (p) =>
        ex.biasActivation(p[0]!, p[1]!, p[2]!, p[3]!, rows, cols, act, param),
      );
      if (!ok) jsBackend.biasActivation(x, bias, pre, out, rows, cols, act, param);
    },

    activationBackward(dy, pre, out, dx, n, act: ActivationCode, param) {
      if (n <= 0) return;
      const pdy = heap.address(dy),
        ppre = heap.address(pre),
        pout = heap.address(out),
        pdx = heap.address(dx);
      if (pdy >= 0 && ppre >= 0 && pout >= 0 && pdx >= 0)
        return activationBackwardAt(pdy, ppre, pout, pdx, n, act, param);
      const ok = staged([dy, pre, out, dx], [n, n, n, n], [IN, IN, IN, OUT], (p) =>
        ex.activationBackward(p[0]!, p[1]!, p[2]!, p[3]!, n, act, param),
      );
      if (!ok) jsBackend.activationBackward(dy, pre, out, dx, n, act, param);
    },

    columnSums(x, out, rows, cols, accumulate) {
      if (cols <= 0) return;
      const px = heap.address(x),
        pout = heap.address(out);
      if (px >= 0 && pout >= 0) return columnSumsAt(px, pout, Math.max(rows, 0), cols, accumulate);
      const ok = staged([x, out], [rows * cols, cols], [IN, accumulate ? INOUT : OUT], (p) =>
        ex.columnSums(p[0]!, p[1]!, Math.max(rows, 0), cols, cols, accumulate),
      );
      if (!ok) jsBackend.columnSums(x, out, rows, cols, accumulate);
    },

    scaledAdd(y, x, alpha, n) {
      if (n <= 0) return true;
      const py = heap.address(y),
        px = heap.address(x);
      if (py >= 0 && px >= 0) {
        const split = vectorSplit(n);
        if (split === null) return ex.scaledAdd(py, px, alpha, n) !== 0;
        return vector('scaledAdd', py, px, n, split, { alpha }) !== 0;
      }
      return jsBackend.scaledAdd(y, x, alpha, n); // a one-pass loop: copying in would cost as much
    },

    adamUpdate(w, g, m, v, vHat, n, alpha, c1, c2, epsilon) {
      const p = inHeap([w, g, m, v, vHat]);
      if (n > 0 && p !== null) return ex.adamUpdate(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, n, alpha, c1, c2, epsilon);
      jsBackend.adamUpdate(w, g, m, v, vHat, n, alpha, c1, c2, epsilon);
    },

    rmspropUpdate(w, g, v, mom, avg, n, lr, rho, mu, epsilon) {
      const p = inHeap([w, g, v, mom, avg]);
      if (n > 0 && p !== null) return ex.rmspropUpdate(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, n, lr, rho, mu, epsilon);
      jsBackend.rmspropUpdate(w, g, v, mom, avg, n, lr, rho, mu, epsilon);
    },

    adagradUpdate(w, g, a, n, lr, epsilon) {
      const p = inHeap([w, g, a]);
      if (n > 0 && p !== null) return ex.adagradUpdate(p[0]!, p[1]!, p[2]!, n, lr, epsilon);
      jsBackend.adagradUpdate(w, g, a, n, lr, epsilon);
    },

    adadeltaUpdate(w, g, ag, ad, n, lr, rho, epsilon) {
      const p = inHeap([w, g, ag, ad]);
      if (n > 0 && p !== null) return ex.adadeltaUpdate(p[0]!, p[1]!, p[2]!, p[3]!, n, lr, rho, epsilon);
      jsBackend.adadeltaUpdate(w, g, ag, ad, n, lr, rho, epsilon);
    },

    adamaxUpdate(w, g, m, u, n, lr, c1, b2, correction, epsilon) {
      const p = inHeap([w, g, m, u]);
      if (n > 0 && p !== null) return ex.adamaxUpdate(p[0]!, p[1]!, p[2]!, p[3]!, n, lr, c1, b2, correction, epsilon);
      jsBackend.adamaxUpdate(w, g, m, u, n, lr, c1, b2, correction, epsilon);
    },

    nadamUpdate(w, g, m, v, n, lr, c1, c2, uNext, d1, cT, d2, vCorrection, epsilon) {
      const p = inHeap([w, g, m, v]);
      if (n > 0 && p !== null)
        return ex.nadamUpdate(p[0]!, p[1]!, p[2]!, p[3]!, n, lr, c1, c2, uNext, d1, cT, d2, vCorrection, epsilon);
      jsBackend.nadamUpdate(w, g, m, v, n, lr, c1, c2, uNext, d1, cT, d2, vCorrection, epsilon);
    },

    emaUpdate(average, w, n, momentum, complement) {
      const p = inHeap([average, w]);
      if (n > 0 && p !== null) return ex.emaUpdate(p[0]!, p[1]!, n, momentum, complement);
      jsBackend.emaUpdate(average, w, n, momentum, complement);
    },

    lionUpdate(w, g, m, n, lr, b1, b2) {
      const p = inHeap([w, g, m]);
      if (n > 0 && p !== null) return ex.lionUpdate(p[0]!, p[1]!, p[2]!, n, lr, b1, b2);
      jsBackend.lionUpdate(w, g, m, n, lr, b1, b2);
    },

    weightDecay(w, n, decay) {
      const p = heap.address(w);
      if (n > 0 && p >= 0) return ex.weightDecay(p, n, decay);
      jsBackend.weightDecay(w, n, decay);
    },

    momentumUpdate(w, g, v, n, lr, mu, nesterov) {
      const p = inHeap([w, g, v]);
      if (n > 0 && p !== null) return ex.momentumUpdate(p[0]!, p[1]!, p[2]!, n, lr, mu, nesterov);
      jsBackend.momentumUpdate(w, g, v, n, lr, mu, nesterov);
    },

    multiply(a, b, out, n) {
      if (n <= 0) return;
      const pa = heap.address(a),
        pb = heap.address(b),
        pout = heap.address(out);
      if (pa >= 0 && pb >= 0 && pout >= 0) return ex.multiply(pa, pb, pout, n);
      jsBackend.multiply(a, b, out, n); // one pass: staging would cost as much
    },

    keepMask(state, out, n, rate, keep) {
      const pout = heap.address(out);
      if (n <= 0 || pout < 0) return jsBackend.keepMask(state, out, n, rate, keep);
      const s = new Uint32Array(memory.buffer, rngState, 4);
      s.set(state.subarray(0, 4));
      ex.keepMask(rngState, pout, n, rate, keep);
      state.set(s);
    },

    // Convolution unfolding, pooling and the recurrent gate passes (conv.asm.ts, recurrent.asm.ts).
    ...convAndRecurrentKernels(ex as unknown as ConvRecurrentExports, heap, staged),

    firstNonFinite(x, n) {
      const px = heap.address(x);
      if (n <= 0) return -1;
      if (px < 0) return stagedScan(x, n);
      const split = vectorSplit(n);
      if (split === null) return ex.firstNonFinite(px, n);
      return vector('firstNonFinite', px, 0, n, split);
    },

    // Softmax and the losses: the JS reference (see KernelBackend: Math.exp's bits, short rows).
    softmax: jsBackend.softmax,
    softmaxBackward: jsBackend.softmaxBackward,
    softmaxCrossEntropy: jsBackend.softmaxCrossEntropy,
    softmaxCrossEntropyBackward: jsBackend.softmaxCrossEntropyBackward,
    sigmoidCrossEntropy: jsBackend.sigmoidCrossEntropy,
    sigmoidCrossEntropyBackward: jsBackend.sigmoidCrossEntropyBackward,
    squaredError: jsBackend.squaredError,
    squaredErrorBackward: jsBackend.squaredErrorBackward,

    batchNormTrainForward(x, gamma, beta, out, xhat, mean, variance, invStd, rows, cols, epsilon) {
      if (rows <= 0 || cols <= 0) return;
      const arrays = [x, gamma, beta, out, xhat, mean, variance, invStd];
      const p = arrays.map((a) => (a === null ? 0 : heap.address(a)));
      if (p.every((q) => q >= 0)) {
        return ex.batchNormTrainForward(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, p[7]!, rows, cols, epsilon);
      }
      const n = rows * cols;
      const ok = staged(arrays, [n, cols, cols, n, n, cols, cols, cols], [IN, IN, IN, OUT, OUT, OUT, OUT, OUT], (q) =>
        ex.batchNormTrainForward(q[0]!, q[1]!, q[2]!, q[3]!, q[4]!, q[5]!, q[6]!, q[7]!, rows, cols, epsilon),
      );
      if (!ok) jsBackend.batchNormTrainForward(x, gamma, beta, out, xhat, mean, variance, invStd, rows, cols, epsilon);
    },

    batchNormTrainBackward(dy, xhat, gamma, invStd, dx, dgamma, dbeta, rows, cols) {
      if (rows <= 0 || cols <= 0) return;
      const arrays = [dy, xhat, gamma, invStd, dx, dgamma, dbeta];
      const p = arrays.map((a) => (a === null ? 0 : heap.address(a)));
      if (p.every((q) => q >= 0)) {
        return ex.batchNormTrainBackward(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, rows, cols);
      }
      const n = rows * cols;
      const ok = staged(arrays, [n, n, cols, cols, n, cols, cols], [IN, IN, IN, IN, OUT, OUT, OUT], (q) =>
        ex.batchNormTrainBackward(q[0]!, q[1]!, q[2]!, q[3]!, q[4]!, q[5]!, q[6]!, rows, cols),
      );
      if (!ok) jsBackend.batchNormTrainBackward(dy, xhat, gamma, invStd, dx, dgamma, dbeta, rows, cols);
    },

    batchNormInference(x, mean, variance, gamma, beta, out, rows, cols, epsilon) {
      if (rows <= 0 || cols <= 0) return;
      const arrays = [x, mean, variance, gamma, beta, out];
      const call = (q: number[]) =>
        ex.batchNormInference(q[0]!, q[1]!, q[2]!, q[3]!, q[4]!, q[5]!, rows, cols, epsilon);
      const p = inHeap(arrays);
      if (p !== null) return call(p);
      const n = rows * cols;
      if (!staged(arrays, [n, cols, cols, cols, cols, n], [IN, IN, IN, IN, IN, OUT], call))
        jsBackend.batchNormInference(x, mean, variance, gamma, beta, out, rows, cols, epsilon);
    },

    batchNormInferenceBackward(dy, x, mean, variance, gamma, dx, dgamma, dbeta, rows, cols, epsilon) {
      if (rows <= 0 || cols <= 0) return;
      const arrays = [dy, x, mean, variance, gamma, dx, dgamma, dbeta];
      const call = (q: number[]) =>
        ex.batchNormInferenceBackward(q[0]!, q[1]!, q[2]!, q[3]!, q[4]!, q[5]!, q[6]!, q[7]!, rows, cols, epsilon);
      const p = inHeap(arrays);
      if (p !== null) return call(p);
      const n = rows * cols;
      const ok = staged(arrays, [n, n, cols, cols, cols, n, cols, cols], [IN, IN, IN, IN, IN, OUT, OUT, OUT], call);
      if (!ok)
        jsBackend.batchNormInferenceBackward(dy, x, mean, variance, gamma, dx, dgamma, dbeta, rows, cols, epsilon);
    },
  };
  return backend;
}

/** The exports of conv.asm.ts and recurrent.asm.ts; g… are ConvGeometry's fields from inH to padLeft, in order. */
interface ConvRecurrentExports {
  im2col(x: number, cols: number, b0: number, b1: number, ...g: number[]): void;
  col2im(dcols: number, dx: number, b0: number, b1: number, ...g: number[]): void;
  pool2dForward(x: number, out: number, argmax: number, batch: number, ...gThenMax: number[]): void;
  pool2dBackward(dy: number, dx: number, argmax: number, batch: number, ...gThenMax: number[]): void;
  lstmCell(...args: number[]): void;
  lstmCellBackward(...args: number[]): void;
  gruCell(...args: number[]): void;
  gruCellBackward(...args: number[]): void;
}

type Staging = (
  arrays: (Float32Array | null)[],
  lengths: number[],
  modes: number[],
  call: (addr: number[]) => void,
) => boolean;

type ConvRecurrentKernels = Pick<
  KernelBackend,
  | 'im2col'
  | 'col2im'
  | 'pool2dForward'
  | 'pool2dBackward'
  | 'lstmCell'
  | 'lstmCellBackward'
  | 'gruCell'
  | 'gruCellBackward'
>;

/** Activations with a wasm gate path (recurrent.asm.ts): linear, relu, sigmoid, tanh, hard sigmoid. */
const GATE_CODES = new Set<number>([0, 1, 4, 5, 11]);

/**
 * The wasm convolution / pooling / recurrent-gate entries (no allocation per call). Unfolding stages foreign
 * arrays like the matmul; pooling (its argmax is an Int32Array) and the gate passes (arena buffers in practice)
 * run on the JS reference when an array lives outside the wasm memory, the gates also for activations without a
 * wasm path.
 */
function convAndRecurrentKernels(ex: ConvRecurrentExports, heap: WasmHeap, staged: Staging): ConvRecurrentKernels {
  const at = (a: Float32Array | Int32Array): number => heap.address(a as Float32Array);
  const unfold = (fn: ConvRecurrentExports['im2col'], p: number, q: number, g: ConvGeometry, b0: number, b1: number) =>
    fn(
      p,
      q,
      b0,
      b1,
      g.inH,
      g.inW,
      g.inC,
      g.outH,
      g.outW,
      g.kh,
      g.kw,
      g.strideH,
      g.strideW,
      g.dilH,
      g.dilW,
      g.padTop,
      g.padLeft,
    );
  const pool = (
    fn: ConvRecurrentExports['pool2dForward'],
    p: number,
    q: number,
    r: number,
    g: ConvGeometry,
    max: boolean,
  ) =>
    fn(
      p,
      q,
      r,
      g.batch,
      g.inH,
      g.inW,
      g.inC,
      g.outH,
      g.outW,
      g.kh,
      g.kw,
      g.strideH,
      g.strideW,
      g.dilH,
      g.dilW,
      g.padTop,
      g.padLeft,
      max ? 1 : 0,
    );
  const lengths = (g: ConvGeometry, b0: number, b1: number): [number, number] => [
    b1 * g.inH * g.inW * g.inC,
    (b1 - b0) * g.outH * g.outW * g.kh * g.kw * g.inC,
  ];
  return {
    im2col(x, cols, g, b0, b1) {
      if (b1 <= b0) return;
      const px = at(x),
        pc = at(cols);
      if (px >= 0 && pc >= 0) return unfold(ex.im2col, px, pc, g, b0, b1);
      const [nx, nc] = lengths(g, b0, b1);
      if (!staged([x, cols], [nx, nc], [IN, OUT], (p) => unfold(ex.im2col, p[0]!, p[1]!, g, b0, b1))) {
        jsBackend.im2col(x, cols, g, b0, b1);
      }
    },
    col2im(dcols, dx, g, b0, b1) {
      if (b1 <= b0) return;
      const pc = at(dcols),
        px = at(dx);
      if (px >= 0 && pc >= 0) return unfold(ex.col2im, pc, px, g, b0, b1);
      const [nx, nc] = lengths(g, b0, b1);
      if (!staged([dcols, dx], [nc, nx], [IN, INOUT], (p) => unfold(ex.col2im, p[0]!, p[1]!, g, b0, b1))) {
        jsBackend.col2im(dcols, dx, g, b0, b1);
      }
    },
    pool2dForward(x, out, argmax, g, max) {
      const px = at(x),
        po = at(out),
        pa = argmax === null ? (max ? -1 : 0) : at(argmax);
      if (px < 0 || po < 0 || pa < 0) return jsBackend.pool2dForward(x, out, argmax, g, max);
      pool(ex.pool2dForward, px, po, pa, g, max);
    },
    pool2dBackward(dy, dx, argmax, g, max) {
      const py = at(dy),
        px = at(dx),
        pa = argmax === null ? (max ? -1 : 0) : at(argmax);
      if (py < 0 || px < 0 || pa < 0) return jsBackend.pool2dBackward(dy, dx, argmax, g, max);
      pool(ex.pool2dBackward, py, px, pa, g, max);
    },
    lstmCell(z, gates, cPrev, c, tc, h, rows, units, act, recAct, param) {
      const p0 = at(z),
        p1 = at(gates),
        p2 = at(cPrev),
        p3 = at(c),
        p4 = at(tc),
        p5 = at(h);
      if (!GATE_CODES.has(act) || !GATE_CODES.has(recAct) || Math.min(p0, p1, p2, p3, p4, p5) < 0) {
        return jsBackend.lstmCell(z, gates, cPrev, c, tc, h, rows, units, act, recAct, param);
      }
      ex.lstmCell(p0, p1, p2, p3, p4, p5, rows, units, act, recAct);
    },
    lstmCellBackward(dh, dc, z, gates, cPrev, c, tc, dz, rows, units, act, recAct, param) {
      const p0 = at(dh),
        p1 = at(dc),
        p2 = at(z),
        p3 = at(gates),
        p4 = at(cPrev),
        p5 = at(c),
        p6 = at(tc),
        p7 = at(dz);
      if (!GATE_CODES.has(act) || !GATE_CODES.has(recAct) || Math.min(p0, p1, p2, p3, p4, p5, p6, p7) < 0) {
        return jsBackend.lstmCellBackward(dh, dc, z, gates, cPrev, c, tc, dz, rows, units, act, recAct, param);
      }
      ex.lstmCellBackward(p0, p1, p2, p3, p4, p5, p6, p7, rows, units, act, recAct);
    },
    gruCell(xp, rec, hPrev, gates, h, rows, units, act, recAct, param) {
      const p0 = at(xp),
        p1 = at(rec),
        p2 = at(hPrev),
        p3 = at(gates),
        p4 = at(h);
      if (!GATE_CODES.has(act) || !GATE_CODES.has(recAct) || Math.min(p0, p1, p2, p3, p4) < 0) {
        return jsBackend.gruCell(xp, rec, hPrev, gates, h, rows, units, act, recAct, param);
      }
      ex.gruCell(p0, p1, p2, p3, p4, rows, units, act, recAct);
    },
    gruCellBackward(dh, pre, rec, hPrev, gates, dxp, drec, dhPrev, rows, units, act, recAct, param) {
      const p0 = at(dh),
        p1 = at(pre),
        p2 = at(rec),
        p3 = at(hPrev),
        p4 = at(gates),
        p5 = at(dxp),
        p6 = at(drec),
        p7 = at(dhPrev);
      if (!GATE_CODES.has(act) || !GATE_CODES.has(recAct) || Math.min(p0, p1, p2, p3, p4, p5, p6, p7) < 0) {
        return jsBackend.gruCellBackward(
          dh,
          pre,
          rec,
          hPrev,
          gates,
          dxp,
          drec,
          dhPrev,
          rows,
          units,
          act,
          recAct,
          param,
        );
      }
      ex.gruCellBackward(p0, p1, p2, p3, p4, p5, p6, p7, rows, units, act, recAct);
    },
  };
}
