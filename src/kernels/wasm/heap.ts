/**
 * The wasm linear memory as seen from JS: a simple allocator (bump pointer +
 * exact-size free lists; blocks are 64-byte aligned) and the question "is this
 * Float32Array inside the memory, and at which address?".
 *
 * Growth. With a shared memory (SharedArrayBuffer-backed) `memory.grow` never
 * detaches: old views keep working, `memory.buffer` merely becomes a new, longer
 * SharedArrayBuffer object over the same bytes. We remember every buffer object
 * the memory has had, so a view made before a growth is still recognised as
 * inside (at its byteOffset).
 *
 * With a non-shared memory, growth detaches every existing view, which would
 * silently empty the arrays the engine holds. So once a view has been handed
 * out, the non-shared heap never grows again: it is sized up front
 * (`initialBytes`), `allocate` falls back to plain Float32Arrays when full
 * (kernels then copy them in), and a kernel call whose copies do not fit runs
 * on the JS reference instead. Correct, just slower past the budget.
 */

const PAGE = 65536;
const ALIGN = 64;
/** Addresses below this are never handed out: address 0 means "none" to the kernels (an absent bias, say). */
const RESERVED_BYTES = 1024;

export class WasmHeap {
  private readonly buffers = new Set<ArrayBufferLike>();
  private readonly freeLists = new Map<number, number[]>();
  private top = RESERVED_BYTES;
  private viewsHandedOut = false;

  constructor(
    readonly memory: WebAssembly.Memory,
    readonly shared: boolean,
    readonly maxPages: number,
  ) {
    this.buffers.add(memory.buffer);
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** Byte address of `a` if it is a view into this memory, else −1. */
  address(a: Float32Array): number {
    return this.buffers.has(a.buffer) ? a.byteOffset : -1;
  }

  /** True while growing cannot break anyone's view. */
  canGrow(): boolean {
    return this.shared || !this.viewsHandedOut;
  }

  /** Reserve `bytes` (rounded up to 64); returns the address or −1 when memory cannot grow. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const list = this.freeLists.get(size);
    if (list !== undefined && list.length > 0) return list.pop()!;
    const addr = this.top;
    if (!this.ensure(addr + size)) return -1;
    this.top = addr + size;
    return addr;
  }

  /** Return a block from `alloc` for reuse by a later request of the same size. */
  release(addr: number, bytes: number): void {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    let list = this.freeLists.get(size);
    if (list === undefined) this.freeLists.set(size, (list = []));
    list.push(addr);
  }

  /** A view of `length` floats at `addr` over the current buffer. */
  view(addr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, addr, length);
  }

  /** The `allocate` of the backend: a zero-filled view that will leave our hands. */
  allocateView(length: number): Float32Array {
    const addr = this.alloc(length * 4);
    if (addr < 0) return new Float32Array(length); // non-shared heap full: a plain array still works
    this.viewsHandedOut = true;
    const v = this.view(addr, length);
    v.fill(0); // recycled blocks are dirty
    return v;
  }

  /** Make sure bytes [0, end) exist, growing the memory if allowed. */
  private ensure(end: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return true;
    if (!this.canGrow()) return false;
    const pages = have / PAGE;
    // Grow by at least 1/4 of the current size so many small requests do not grow one page at a time.
    const want = Math.min(this.maxPages, Math.max(Math.ceil(end / PAGE), Math.ceil(pages * 1.25)));
    if (want * PAGE < end) return false;
    try {
      this.memory.grow(want - pages);
    } catch {
      return false;
    }
    if (!this.shared) this.buffers.clear(); // the old ArrayBuffer is detached now
    this.buffers.add(this.memory.buffer);
    return true;
  }
}
