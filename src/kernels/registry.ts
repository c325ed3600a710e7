/**
 * Which kernel backend the ops call. By default the WebAssembly SIMD kernels
 * (threaded over both cores for large matmuls) when they can be created
 * synchronously — Node and browser workers — and the JS reference otherwise.
 * `KEEL_BACKEND=js` in the environment forces the reference.
 */
import type { KernelBackend } from './backend.js';
import { jsBackend } from './js/js-backend.js';
import { createWasmBackend } from './wasm/index.js';

let active: KernelBackend | null = null;

function defaultBackend(): KernelBackend {
  const env = typeof process !== 'undefined' ? process.env?.KEEL_BACKEND : undefined;
  if (env === 'js') return jsBackend;
  try {
    return createWasmBackend();
  } catch {
    // e.g. a browser main thread that refuses synchronous compilation of a large module.
    return jsBackend;
  }
}

export function kernels(): KernelBackend {
  if (active === null) active = defaultBackend();
  return active;
}

/** Switch the kernels the engine uses (the JS reference, or a backend of your own). */
export function setKernelBackend(backend: KernelBackend): void {
  active = backend;
}

export { jsBackend };
