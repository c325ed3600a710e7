/** Which kernel backend the ops call. The JS reference is always available. */
import type { KernelBackend } from './backend.js';
import { jsBackend } from './js/js-backend.js';

let active: KernelBackend = jsBackend;

export function kernels(): KernelBackend { return active; }

/** Switch the kernels the engine uses (e.g. to the WebAssembly backend once it is ready). */
export function setKernelBackend(backend: KernelBackend): void { active = backend; }
