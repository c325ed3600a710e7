/**
 * Kernel buffers (for wasm: blocks of its memory) go back to the backend that allocated them when their owner
 * (a Variable, an optimizer holding its state) is garbage-collected.
 */
import { kernels } from './registry.js';

type Releasing = { release?: (v: Float32Array) => void };

const releaser =
  typeof FinalizationRegistry === 'undefined'
    ? null
    : new FinalizationRegistry<{ backend: Releasing; view: Float32Array }>((h) => h.backend.release?.(h.view));

/** A zero-filled buffer from the active backend, released when `owner` is collected. */
export function ownedKernelBuffer(owner: object, length: number): Float32Array {
  const backend = kernels() as ReturnType<typeof kernels> & Releasing;
  const view = backend.allocate(length);
  if (releaser !== null && backend.release !== undefined) releaser.register(owner, { backend, view });
  return view;
}
