/**
 * WebAssembly SIMD kernels. In Node:
 *
 *   import { createWasmBackend } from './kernels/wasm/index.js';
 *   setKernelBackend(createWasmBackend());            // all cores for large matmuls
 *   setKernelBackend(createWasmBackend({ threads: 1 }));
 *
 * In a browser use `await createWasmBackendAsync()` (main threads may refuse to
 * compile wasm synchronously); it runs single-threaded, on a shared memory when
 * the page is cross-origin isolated and on a fixed-size one otherwise.
 */
import {
  SHARED_WASM_BASE64,
  UNSHARED_WASM_BASE64,
  SHARED_RELAXED_WASM_BASE64,
  UNSHARED_RELAXED_WASM_BASE64,
  WASM_MAX_PAGES,
} from './generated/kernels-wasm.js';
import { instantiateWasmBackend, type WasmBackend, type WasmBackendOptions } from './wasm-backend.js';
import { availableThreads, builtin, loadWorkerThreads, threadsSupported } from './threads.js';

export type { WasmBackend, WasmBackendOptions } from './wasm-backend.js';

const PAGE = 65536;
const modules = new Map<string, WebAssembly.Module>();

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const B = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (B !== undefined) return new Uint8Array(B.from(b64, 'base64'));
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The compiled kernels for a shared (threads) or a non-shared memory, with or without relaxed SIMD. */
function wasmBytes(shared: boolean, relaxed: boolean): Uint8Array<ArrayBuffer> {
  if (relaxed) return decodeBase64(shared ? SHARED_RELAXED_WASM_BASE64 : UNSHARED_RELAXED_WASM_BASE64);
  return decodeBase64(shared ? SHARED_WASM_BASE64 : UNSHARED_WASM_BASE64);
}

let relaxedSupported: boolean | undefined;

/**
 * Node 20 and 21 carry relaxed SIMD (standard since V8 11.4) behind `--experimental-wasm-relaxed-simd`. The flag
 * only lets modules that use those instructions validate, so Keel sets it through `v8.setFlagsFromString` before
 * compiling its kernels, unless `KEEL_RELAXED_SIMD=0` is in the environment. Node 22+ and current browsers need
 * nothing; elsewhere this does nothing.
 */
function enableRelaxedSimdOnOldNode(): void {
  const proc = (globalThis as { process?: { versions?: { node?: string }; env?: Record<string, string | undefined> } })
    .process;
  const major = Number(proc?.versions?.node?.split('.')[0] ?? NaN);
  if (!(major >= 20 && major < 22) || proc?.env?.KEEL_RELAXED_SIMD === '0') return;
  try {
    builtin<{ setFlagsFromString: (flags: string) => void }>('node:v8')?.setFlagsFromString(
      '--experimental-wasm-relaxed-simd',
    );
  } catch {
    /* the plain build runs */
  }
}

/**
 * Whether this runtime runs relaxed SIMD (Node 22+, current Chromium; Node 20 and 21 after Keel sets V8's flag
 * for it, unless KEEL_RELAXED_SIMD=0): the relaxed binary validates.
 */
export function relaxedSimdSupported(): boolean {
  if (relaxedSupported === undefined) {
    const bytes = wasmBytes(false, true);
    relaxedSupported = WebAssembly.validate(bytes);
    if (!relaxedSupported) {
      enableRelaxedSimdOnOldNode();
      relaxedSupported = WebAssembly.validate(bytes);
    }
  }
  return relaxedSupported;
}

/** The module for a plan, compiled once per variant. */
function moduleKey(p: Plan): string {
  return `${p.shared ? 'shared' : 'unshared'}${p.relaxed ? '-relaxed' : ''}`;
}

/** A shared memory and its maximum pages if the platform allows one, else null. */
function sharedMemory(initialPages: number): { memory: WebAssembly.Memory; maxPages: number } | null {
  if (typeof SharedArrayBuffer === 'undefined') return null;
  // Shared memories reserve their maximum up front; retry smaller if address space is tight.
  for (const maxPages of [WASM_MAX_PAGES, WASM_MAX_PAGES / 4, WASM_MAX_PAGES / 16]) {
    try {
      const descriptor = { initial: initialPages, maximum: maxPages, shared: true };
      return { memory: new WebAssembly.Memory(descriptor as WebAssembly.MemoryDescriptor), maxPages };
    } catch {
      /* try a smaller reservation */
    }
  }
  return null;
}

interface Plan {
  memory: WebAssembly.Memory;
  shared: boolean;
  maxPages: number;
  threads: number;
  relaxed: boolean;
}

function plan(options: WasmBackendOptions): Plan {
  const relaxed = options.relaxedSimd ?? relaxedSimdSupported();
  if (relaxed && !relaxedSimdSupported())
    throw new Error(
      'createWasmBackend: relaxedSimd is true but this runtime does not support relaxed SIMD' +
        '\nhelp: leave relaxedSimd unset (it is used where available), or run Node 22+ (on Node 20, ' +
        'do not set KEEL_RELAXED_SIMD=0, or pass --experimental-wasm-relaxed-simd).',
    );
  const shared = options.sharedMemory === false ? null : sharedMemory(256); // 16 MiB, grows on demand
  if (shared !== null) {
    const { memory, maxPages } = shared;
    const want = options.threads ?? Math.min(availableThreads(), 8);
    const threads = threadsSupported() ? Math.max(1, Math.floor(want)) : 1;
    return { memory, shared: true, maxPages, threads, relaxed };
  }
  const pages = Math.ceil(((options.memoryMB ?? 256) * 1024 * 1024) / PAGE);
  return {
    memory: new WebAssembly.Memory({ initial: pages, maximum: WASM_MAX_PAGES }),
    shared: false,
    maxPages: pages,
    threads: 1,
    relaxed,
  };
}

/** The WebAssembly backend, created synchronously (Node; small enough for browser workers too). */
export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  const p = plan(options);
  let module = modules.get(moduleKey(p));
  if (module === undefined) {
    module = new WebAssembly.Module(wasmBytes(p.shared, p.relaxed));
    modules.set(moduleKey(p), module);
  }
  return instantiateWasmBackend(module, p.memory, p.shared, p.maxPages, p.threads, options, p.relaxed);
}

/**
 * Same as createWasmBackend, compiling asynchronously (for browser main threads).
 * In Node older than 20.16 only this variant can start helper threads.
 */
export async function createWasmBackendAsync(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  await loadWorkerThreads(); // Node < 20.16 lacks process.getBuiltinModule
  const p = plan(options);
  let module = modules.get(moduleKey(p));
  if (module === undefined) {
    module = await WebAssembly.compile(wasmBytes(p.shared, p.relaxed));
    modules.set(moduleKey(p), module);
  }
  return instantiateWasmBackend(module, p.memory, p.shared, p.maxPages, p.threads, options, p.relaxed);
}
