// GEMM for row-major float32: C[m×n] (+)= op(A)·op(B), GotoBLAS-style.
//
// The k dimension is cut into KC-deep slices and m into MC-tall blocks. For
// each slice, the needed columns of op(B) are packed into NR-wide panels
// (kc×NR, contiguous) and each block of op(A) into MR-tall panels (kc×MR).
// Packing is where the transposes are absorbed, so all four variants run the
// same micro-kernel over the same contiguous layout: a transposed operand
// costs only a different (SIMD 4×4-transposing) pack routine.
//
// The micro-kernel keeps an MR×NR = 4×8 tile of C in 8 f32x4 registers; each
// step of k does 2 loads of B, 4 broadcasts of A and 8 mul+add pairs (wasm
// SIMD has no FMA without relaxed SIMD; the relaxed binaries use its fused
// multiply-add, see `madd`). The relaxed binaries also have a 3×12 tile (9
// accumulators, see kernel3x12) in `gemmWide`, which the JS side calls where
// its edges waste little. Either tile sums every element of C over k in the
// same order, so the choice never changes a bit of the result.
//
// All pointers are byte addresses into linear memory; the caller (JS) owns
// all memory, this module has no data segments and allocates nothing.

import { activationBackward } from './elementwise.asm';

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 1024;
// The wide tile of the relaxed (FMA) build: 3×12, 9 accumulators (see kernel3x12). NC12 covers 1024 columns
// in one block (so A is packed once for them); MC3 is the multiple of 3 below MC.
const MR3: i32 = 3;
const NR12: i32 = 12;
const MC3: i32 = 126;
const NC12: i32 = 1032;
/** Floats of the edge-tile scratch: room for either tile. */
const TILE: i32 = 48;

/** Bytes of scratch one thread needs for gemm: packed A block, packed B block, one edge tile. */
export function gemmScratchBytes(): i32 {
  return (MC * KC + KC * max(NC, NC12) + TILE) * 4;
}

// ---------------------------------------------------------------- packing

/** Pack rows [i0, i0+mc) × cols [p0, p0+kc) of op(A) into MR-tall panels at dst (zero-padded). */
function packA(a: usize, lda: i32, transA: bool, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const panel = dst + <usize>(ir * kc) * 4;
    const i = i0 + ir;
    if (transA) {
      // op(A)[i][p] = A[p][i]: the MR values for one p are contiguous.
      if (rows == MR) {
        for (let p = 0; p < kc; p++) {
          v128.store(panel + <usize>p * 16, v128.load(a + (<usize>(p0 + p) * lda + i) * 4));
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const src = a + (<usize>(p0 + p) * lda + i) * 4;
          const d = panel + <usize>p * 16;
          for (let ii = 0; ii < MR; ii++) store<f32>(d + ii * 4, ii < rows ? load<f32>(src + ii * 4) : 0);
        }
      }
    } else if (rows == MR) {
      // op(A)[i][p] = A[i][p]: read 4 rows × 4 p and transpose in registers.
      const r0 = a + (<usize>i * lda + p0) * 4;
      const r1 = r0 + <usize>lda * 4, r2 = r1 + <usize>lda * 4, r3 = r2 + <usize>lda * 4;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p * 4;
        transpose4(v128.load(r0 + o), v128.load(r1 + o), v128.load(r2 + o), v128.load(r3 + o), panel + o * 4, 16);
      }
      for (; p < kc; p++) {
        const o = <usize>p * 4;
        const d = panel + o * 4;
        store<f32>(d, load<f32>(r0 + o)); store<f32>(d, load<f32>(r1 + o), 4);
        store<f32>(d, load<f32>(r2 + o), 8); store<f32>(d, load<f32>(r3 + o), 12);
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const d = panel + <usize>p * 16;
        for (let ii = 0; ii < MR; ii++) {
          store<f32>(d + ii * 4, ii < rows ? load<f32>(a + (<usize>(i + ii) * lda + p0 + p) * 4) : 0);
        }
      }
    }
  }
}

/** Pack rows [p0, p0+kc) × cols [j0, j0+nc) of op(B) into NR-wide panels at dst (zero-padded). */
function packB(b: usize, ldb: i32, transB: bool, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const panel = dst + <usize>(jr * kc) * 4;
    const j = j0 + jr;
    if (!transB) {
      if (cols == NR) {
        for (let p = 0; p < kc; p++) {
          const src = b + (<usize>(p0 + p) * ldb + j) * 4;
          const d = panel + <usize>p * 32;
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const src = b + (<usize>(p0 + p) * ldb + j) * 4;
          const d = panel + <usize>p * 32;
          for (let jj = 0; jj < NR; jj++) store<f32>(d + jj * 4, jj < cols ? load<f32>(src + jj * 4) : 0);
        }
      }
    } else if (cols == NR) {
      // op(B)[p][j] = B[j][p]: two 4×4 transposes per 4 values of p.
      const s0 = b + (<usize>j * ldb + p0) * 4;
      const st = <usize>ldb * 4;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p * 4;
        const d = panel + o * 8;
        transpose4(
          v128.load(s0 + o), v128.load(s0 + st + o),
          v128.load(s0 + 2 * st + o), v128.load(s0 + 3 * st + o),
          d, 32,
        );
        const s4 = s0 + 4 * st;
        transpose4(
          v128.load(s4 + o), v128.load(s4 + st + o),
          v128.load(s4 + 2 * st + o), v128.load(s4 + 3 * st + o),
          d + 16, 32,
        );
      }
      for (; p < kc; p++) {
        const d = panel + <usize>p * 32;
        for (let jj = 0; jj < NR; jj++) store<f32>(d + jj * 4, load<f32>(s0 + <usize>jj * st + <usize>p * 4));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const d = panel + <usize>p * 32;
        for (let jj = 0; jj < NR; jj++) {
          store<f32>(d + jj * 4, jj < cols ? load<f32>(b + (<usize>(j + jj) * ldb + p0 + p) * 4) : 0);
        }
      }
    }
  }
}

/** Transpose the 4×4 block whose rows are r0..r3; store its rows at d, d+stride, d+2·stride, d+3·stride. */
// @ts-ignore: decorator
@inline function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, d: usize, stride: usize): void {
  const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<i32>(t0, t2, 0, 1, 4, 5));
  v128.store(d + stride, v128.shuffle<i32>(t0, t2, 2, 3, 6, 7));
  v128.store(d + 2 * stride, v128.shuffle<i32>(t1, t3, 0, 1, 4, 5));
  v128.store(d + 3 * stride, v128.shuffle<i32>(t1, t3, 2, 3, 6, 7));
}

// ---------------------------------------------------------------- micro-kernel

/**
 * c + a·b per lane. Built with relaxed SIMD (the `-relaxed` binaries, chosen at load time where the runtime
 * validates them) this is one fused multiply-add (one rounding); otherwise a multiply and an add, the plain
 * path every runtime with SIMD runs.
 */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * C tile (4×8 at c, row stride ldc bytes) = / += Σ_p pa[p]·pb[p].
 * `add` selects accumulate; overwrite never reads C (so NaN garbage in C is harmless).
 */
function kernel4x8(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += 16; pb += 32;
  }
  if (add) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc)); c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc)); c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc)); c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
}

// ---------------------------------------------------------------- the wide tile (relaxed builds)

/**
 * packA for 3-row panels (kc×3, 12 bytes per p). The full panels copy 16 bytes per p, each copy's spare lane
 * overwritten by the next one (p ascending); a panel's last entry is stored 12 bytes wide, so nothing is
 * written past the panel (threads may pack neighbouring panels at once, see prepackA). `k` bounds the
 * transposed reads: the 4th float of the last row of A is read only where it exists.
 */
function packA3(a: usize, lda: i32, transA: bool, i0: i32, mc: i32, p0: i32, kc: i32, k: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR3) {
    const rows = min(MR3, mc - ir);
    const panel = dst + <usize>(ir * kc) * 4;
    const i = i0 + ir;
    if (rows == MR3 && transA) {
      // op(A)[i][p] = A[p][i]: the 3 values for one p are contiguous.
      const vecEnd = i + 4 <= lda ? kc - 1 : min(kc - 1, k - 1 - p0);
      let p = 0;
      for (; p < vecEnd; p++) v128.store(panel + <usize>p * 12, v128.load(a + (<usize>(p0 + p) * lda + i) * 4));
      for (; p < kc; p++) {
        const src = a + (<usize>(p0 + p) * lda + i) * 4;
        const d = panel + <usize>p * 12;
        store<f32>(d, load<f32>(src)); store<f32>(d, load<f32>(src, 4), 4); store<f32>(d, load<f32>(src, 8), 8);
      }
    } else if (rows == MR3) {
      // op(A)[i][p] = A[i][p]: 3 rows × 4 p through a 4×4 transpose (the third row twice), stored 12 bytes apart
      // (the last 4 p of the panel by the scalar loop below).
      const r0 = a + (<usize>i * lda + p0) * 4;
      const r1 = r0 + <usize>lda * 4, r2 = r1 + <usize>lda * 4;
      let p = 0;
      for (; p + 4 < kc; p += 4) {
        const o = <usize>p * 4;
        const r2o = v128.load(r2 + o);
        transpose4(v128.load(r0 + o), v128.load(r1 + o), r2o, r2o, panel + <usize>p * 12, 12);
      }
      for (; p < kc; p++) {
        const o = <usize>p * 4;
        const d = panel + <usize>p * 12;
        store<f32>(d, load<f32>(r0 + o)); store<f32>(d, load<f32>(r1 + o), 4); store<f32>(d, load<f32>(r2 + o), 8);
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const d = panel + <usize>p * 12;
        for (let ii = 0; ii < MR3; ii++) {
          const at = transA ? <usize>(p0 + p) * lda + i + ii : <usize>(i + ii) * lda + p0 + p;
          store<f32>(d + ii * 4, ii < rows ? load<f32>(a + at * 4) : 0);
        }
      }
    }
  }
}

/** packB for 12-column panels (kc×12, 48 bytes per p), zero-padded. */
function packB12(b: usize, ldb: i32, transB: bool, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR12) {
    const cols = min(NR12, nc - jr);
    const panel = dst + <usize>(jr * kc) * 4;
    const j = j0 + jr;
    if (cols == NR12 && !transB) {
      for (let p = 0; p < kc; p++) {
        const src = b + (<usize>(p0 + p) * ldb + j) * 4;
        const d = panel + <usize>p * 48;
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
        v128.store(d, v128.load(src, 32), 32);
      }
    } else if (cols == NR12) {
      // op(B)[p][j] = B[j][p]: three 4×4 transposes per 4 values of p.
      const st = <usize>ldb * 4;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const d = panel + <usize>p * 48;
        for (let g = 0; g < 3; g++) {
          const s = b + (<usize>(j + 4 * g) * ldb + p0 + p) * 4;
          transpose4(v128.load(s), v128.load(s + st), v128.load(s + 2 * st), v128.load(s + 3 * st), d + g * 16, 48);
        }
      }
      for (; p < kc; p++) {
        const d = panel + <usize>p * 48;
        for (let jj = 0; jj < NR12; jj++) store<f32>(d + jj * 4, load<f32>(b + (<usize>(j + jj) * ldb + p0 + p) * 4));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const d = panel + <usize>p * 48;
        for (let jj = 0; jj < NR12; jj++) {
          const at = transB ? <usize>(j + jj) * ldb + p0 + p : <usize>(p0 + p) * ldb + j + jj;
          store<f32>(d + jj * 4, jj < cols ? load<f32>(b + at * 4) : 0);
        }
      }
    }
  }
}

/** The 3×12 tile's accumulators into C (row stride ldc bytes), added to what C holds where `add`. */
// @ts-ignore: decorator
@inline function storeTile3x12(
  c: usize, ldc: usize, add: bool,
  c00: v128, c01: v128, c02: v128, c10: v128, c11: v128, c12: v128, c20: v128, c21: v128, c22: v128,
): void {
  if (add) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c02 = f32x4.add(c02, v128.load(c, 32));
    c10 = f32x4.add(c10, v128.load(c + ldc)); c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c12 = f32x4.add(c12, v128.load(c + ldc, 32));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc)); c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c22 = f32x4.add(c22, v128.load(c + 2 * ldc, 32));
  }
  v128.store(c, c00); v128.store(c, c01, 16); v128.store(c, c02, 32);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16); v128.store(c + ldc, c12, 32);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16); v128.store(c + 2 * ldc, c22, 32);
}

/**
 * C tile (3×12 at c) = / += Σ_p pa[p]·pb[p], as kernel4x8. Nine accumulators, three B vectors and three
 * broadcasts of A fill 15 registers: all V8 gives wasm on x64 (the 16th is its scratch), and more than the 8
 * accumulators that two 4-cycle FMA pipes need in flight, so it runs ~7% faster than 4×8 (1 and 2 threads,
 * interleaved rounds). The plain build keeps 4×8: mul + add needs a temporary, and 3×12 spills there.
 */
function kernel3x12(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c22 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16), b2 = v128.load(pb, 32);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01); c02 = madd(a, b2, c02);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11); c12 = madd(a, b2, c12);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21); c22 = madd(a, b2, c22);
    pa += 12; pb += 48;
  }
  storeTile3x12(c, ldc, add, c00, c01, c02, c10, c11, c12, c20, c21, c22);
}

/**
 * kernel3x12 with A read where it lies, unpacked: row r of the tile at pa + r·sr, step p at pa + p·sp (bytes).
 * For products of at most 12 columns (`gemmSkinny`), where packing A costs more than the product itself.
 * The same multiply-adds in the same order as kernel3x12, so the same bits.
 */
function kernel3x12u(kc: i32, pa: usize, sr: usize, sp: usize, pb: usize, c: usize, ldc: usize, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c22 = f32x4.splat(0);
  const sr2 = sr * 2;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16), b2 = v128.load(pb, 32);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01); c02 = madd(a, b2, c02);
    a = v128.load32_splat(pa + sr);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11); c12 = madd(a, b2, c12);
    a = v128.load32_splat(pa + sr2);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21); c22 = madd(a, b2, c22);
    pa += sp; pb += 48;
  }
  storeTile3x12(c, ldc, add, c00, c01, c02, c10, c11, c12, c20, c21, c22);
}

/**
 * One row of a 3×12 tile: the row of the packed A panel at pa (its values 12 bytes apart), for the last row of
 * C when m is one more than a multiple of 3 (W2's 256, 784 and 1024 rows). Three accumulators instead of nine
 * padded with zeros: ~a third of the tile's time. The same multiply-adds in the same order as kernel3x12's row,
 * so the same bits.
 */
function kernel1x12(kc: i32, pa: usize, pb: usize, c: usize, add: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const a = v128.load32_splat(pa);
    c0 = madd(a, v128.load(pb), c0); c1 = madd(a, v128.load(pb, 16), c1); c2 = madd(a, v128.load(pb, 32), c2);
    pa += 12; pb += 48;
  }
  if (add) {
    c0 = f32x4.add(c0, v128.load(c)); c1 = f32x4.add(c1, v128.load(c, 16)); c2 = f32x4.add(c2, v128.load(c, 32));
  }
  v128.store(c, c0); v128.store(c, c1, 16); v128.store(c, c2, 32);
}

/**
 * The first 4 columns of a 3×12 tile, for the last panel of C when n is 4 more than a multiple of 12 (W2's 1024
 * columns). Same bits as kernel3x12's first 4 columns, as kernel1x12.
 */
function kernel3x4(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, add: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b = v128.load(pb);
    c0 = madd(v128.load32_splat(pa), b, c0);
    c1 = madd(v128.load32_splat(pa, 4), b, c1);
    c2 = madd(v128.load32_splat(pa, 8), b, c2);
    pa += 12; pb += 48;
  }
  if (add) {
    c0 = f32x4.add(c0, v128.load(c)); c1 = f32x4.add(c1, v128.load(c + ldc));
    c2 = f32x4.add(c2, v128.load(c + 2 * ldc));
  }
  v128.store(c, c0); v128.store(c + ldc, c1); v128.store(c + 2 * ldc, c2);
}

/**
 * Rows [0, rows) × cols [0, cols) of an edge tile computed in scratch (`width` floats per row) into C (row
 * stride ldc bytes), added to what C holds where `add`.
 */
function copyTile(tile: usize, width: i32, c: usize, ldc: usize, rows: i32, cols: i32, add: bool): void {
  for (let ii = 0; ii < rows; ii++) {
    const cr = c + <usize>ii * ldc;
    const tr = tile + <usize>(ii * width) * 4;
    for (let jj = 0; jj < cols; jj++) {
      const v = load<f32>(tr + jj * 4);
      store<f32>(cr + jj * 4, add ? load<f32>(cr + jj * 4) + v : v);
    }
  }
}

/** macroKernel with the 3×12 tile. */
function macroKernel3x12(
  packedA: usize, packedB: usize, c: usize, ldc: usize, mc: i32, nc: i32, kc: i32, add: bool, tile: usize,
): void {
  for (let jr = 0; jr < nc; jr += NR12) {
    const cols = min(NR12, nc - jr);
    const pb = packedB + <usize>(jr * kc) * 4;
    for (let ir = 0; ir < mc; ir += MR3) {
      const rows = min(MR3, mc - ir);
      const pa = packedA + <usize>(ir * kc) * 4;
      const ct = c + <usize>ir * ldc + <usize>jr * 4;
      if (rows == MR3 && cols == NR12) {
        kernel3x12(kc, pa, pb, ct, ldc, add);
      } else if (cols == NR12) {
        for (let r = 0; r < rows; r++) kernel1x12(kc, pa + <usize>r * 4, pb, ct + <usize>r * ldc, add);
      } else if (rows == MR3 && cols == 4) {
        kernel3x4(kc, pa, pb, ct, ldc, add);
      } else {
        kernel3x12(kc, pa, pb, tile, NR12 * 4, false);
        copyTile(tile, NR12, ct, ldc, rows, cols, add);
      }
    }
  }
}

// ---------------------------------------------------------------- whole operands packed once

// @ts-ignore: decorator
@inline function roundUp(x: i32, unit: i32): i32 {
  return (x + unit - 1) / unit * unit;
}

/** Bytes `prepackA` writes for op(A) [m×k]: every k slice's panels for all m rows, rounded up to the tile's rows. */
export function prepackABytes(m: i32, k: i32, wide: bool): i32 {
  return roundUp(m, wide && ASC_FEATURE_RELAXED_SIMD ? MR3 : MR) * k * 4;
}

/** Bytes `prepackB` writes for op(B) [k×n]: every k slice's panels for all n columns, rounded up to the tile. */
export function prepackBBytes(n: i32, k: i32, wide: bool): i32 {
  return roundUp(n, wide && ASC_FEATURE_RELAXED_SIMD ? NR12 : NR) * k * 4;
}

/**
 * Rows [r0, r1) of op(A) [m×k] packed into the whole-operand layout at dst, as the drivers pack A block by block:
 * slice p0 (KC deep) starts at p0·rows floats and holds the panels of all rows. The drivers read it (`preA`)
 * instead of packing A per slab, so threads that cut C by columns share one packing of A; the values and their
 * order are the same, and so are the bits. r0 is a multiple of the panel height (3 with `wide`: the 3×12 tile of
 * `gemmWide`, in the relaxed builds; else 4), and no panel is written past its end, so threads can pack
 * disjoint row ranges at once.
 */
export function prepackA(a: usize, m: i32, k: i32, transA: bool, wide: bool, dst: usize, r0: i32, r1: i32): void {
  const lda = transA ? m : k;
  const w = wide && ASC_FEATURE_RELAXED_SIMD;
  const rows = <usize>roundUp(m, w ? MR3 : MR);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const at = dst + (<usize>p0 * rows + <usize>(r0 * kc)) * 4;
    if (w) packA3(a, lda, transA, r0, r1 - r0, p0, kc, k, at);
    else packA(a, lda, transA, r0, r1 - r0, p0, kc, at);
  }
}

/**
 * Columns [c0, c1) of op(B) [k×n] packed into the whole-operand layout (slice p0 at p0·columns floats), for
 * threads that cut C by rows; c0 is a multiple of the panel width (12 with `wide`, else 8).
 */
export function prepackB(b: usize, n: i32, k: i32, transB: bool, wide: bool, dst: usize, c0: i32, c1: i32): void {
  const ldb = transB ? k : n;
  const w = wide && ASC_FEATURE_RELAXED_SIMD;
  const cols = <usize>roundUp(n, w ? NR12 : NR);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const at = dst + (<usize>p0 * cols + <usize>(c0 * kc)) * 4;
    if (w) packB12(b, ldb, transB, p0, kc, c0, c1 - c0, at);
    else packB(b, ldb, transB, p0, kc, c0, c1 - c0, at);
  }
}

/**
 * prepackB of a Dense layer's dZ [k×n] (not transposed) computed on the way, for columns [c0, c1): row by row,
 * dz = dy·f'(pre) (activationBackward; with `code` 0 and dz = dy, dz is dy as given), then the row's values
 * into their panels (the layout prepackB writes) and added to db (each column's sum over the rows in order from
 * 0, as columnSums; db 0: none). The row segment stays in L1 for all three, where activationBackward, prepackB
 * and columnSums would each read all of dZ. The same operations on every value, so the same bits.
 */
export function prepackBGrad(
  dy: usize, pre: usize, out: usize, dz: usize, db: usize, n: i32, k: i32, code: i32, param: f32,
  wide: bool, dst: usize, c0: i32, c1: i32,
): void {
  const nr = wide && ASC_FEATURE_RELAXED_SIMD ? NR12 : NR;
  const cols = <usize>roundUp(n, nr);
  const len = c1 - c0;
  const segBytes = <usize>len * 4;
  const sums = db + <usize>c0 * 4;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const slice = dst + (<usize>p0 * cols + <usize>(c0 * kc)) * 4;
    for (let p = 0; p < kc; p++) {
      const row = (<usize>(p0 + p) * <usize>n + <usize>c0) * 4;
      const z = dz + row;
      if (code != 0 || dz != dy) activationBackward(dy + row, pre + row, out + row, z, len, code, param);
      // Panel q holds columns c0 + q·nr onwards; this row goes to its p-th nr floats.
      for (let q = 0; q * nr < len; q++) {
        const d = slice + (<usize>(q * nr) * <usize>kc + <usize>(p * nr)) * 4;
        const s = z + <usize>(q * nr) * 4;
        const left = len - q * nr;
        if (left >= nr) {
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
          if (nr == NR12) v128.store(d, v128.load(s, 32), 32);
        } else {
          for (let jj = 0; jj < nr; jj++) store<f32>(d + jj * 4, jj < left ? load<f32>(s + jj * 4) : 0);
        }
      }
      if (db == 0) continue;
      let o: usize = 0;
      if (p0 == 0 && p == 0) {
        for (; o + 16 <= segBytes; o += 16) v128.store(sums + o, f32x4.add(f32x4.splat(0), v128.load(z + o)));
        for (; o < segBytes; o += 4) store<f32>(sums + o, <f32>0 + load<f32>(z + o));
      } else {
        for (; o + 16 <= segBytes; o += 16) v128.store(sums + o, f32x4.add(v128.load(sums + o), v128.load(z + o)));
        for (; o < segBytes; o += 4) store<f32>(sums + o, load<f32>(sums + o) + load<f32>(z + o));
      }
    }
  }
}

// ---------------------------------------------------------------- driver

/**
 * Computes rows [i0, i1) × cols [j0, j1) of C = / += op(A)·op(B), where
 * A is [m×k] ([k×m] if transA), B is [k×n] ([n×k] if transB), C is [m×n].
 * Threads call this on disjoint ranges, each with its own scratch
 * (gemmScratchBytes() bytes).
 */
export function gemm(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32,
  transA: bool, transB: bool, accumulate: bool,
  i0: i32, i1: i32, j0: i32, j1: i32, scratch: usize, preA: usize, preB: usize,
): void {
  if (i1 <= i0 || j1 <= j0) return;
  if (k <= 0) {
    if (!accumulate) for (let i = i0; i < i1; i++) memory.fill(c + (<usize>i * n + j0) * 4, 0, <usize>(j1 - j0) * 4);
    return;
  }
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  const packedA = scratch;
  const packedB = packedA + <usize>(MC * KC) * 4;
  const tile = packedB + <usize>(KC * max(NC, NC12)) * 4;
  const rowsA = <usize>roundUp(m, MR), colsB = <usize>roundUp(n, NR);
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = min(KC, k - p0);
      const add = accumulate || p0 > 0;
      let pb = packedB;
      if (preB != 0) pb = preB + (<usize>p0 * colsB + <usize>(jc * kc)) * 4;
      else packB(b, ldb, transB, p0, kc, jc, nc, packedB);
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min(MC, i1 - ic);
        let pa = packedA;
        if (preA != 0) pa = preA + (<usize>p0 * rowsA + <usize>(ic * kc)) * 4;
        else packA(a, lda, transA, ic, mc, p0, kc, packedA);
        macroKernel(pa, pb, c + (<usize>ic * n + jc) * 4, <usize>n * 4, mc, nc, kc, add, tile);
      }
    }
  }
}

/**
 * `gemm` with the 3×12 tile, for the relaxed builds (the JS side picks it where the tiles' edges waste little,
 * and cuts threads' slabs to 12 columns or 3 rows); in the plain builds it is `gemm`. Same arguments, same
 * bits as `gemm`.
 */
export function gemmWide(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32,
  transA: bool, transB: bool, accumulate: bool,
  i0: i32, i1: i32, j0: i32, j1: i32, scratch: usize, preA: usize, preB: usize,
): void {
  if (!ASC_FEATURE_RELAXED_SIMD || k <= 0) {
    gemm(a, b, c, m, n, k, transA, transB, accumulate, i0, i1, j0, j1, scratch, preA, preB);
    return;
  }
  if (i1 <= i0 || j1 <= j0) return;
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  const packedA = scratch;
  const packedB = packedA + <usize>(MC * KC) * 4;
  const tile = packedB + <usize>(KC * max(NC, NC12)) * 4;
  const rowsA = <usize>roundUp(m, MR3), colsB = <usize>roundUp(n, NR12);
  for (let jc = j0; jc < j1; jc += NC12) {
    const nc = min(NC12, j1 - jc);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = min(KC, k - p0);
      const add = accumulate || p0 > 0;
      let pb = packedB;
      if (preB != 0) pb = preB + (<usize>p0 * colsB + <usize>(jc * kc)) * 4;
      else packB12(b, ldb, transB, p0, kc, jc, nc, packedB);
      for (let ic = i0; ic < i1; ic += MC3) {
        const mc = min(MC3, i1 - ic);
        let pa = packedA;
        if (preA != 0) pa = preA + (<usize>p0 * rowsA + <usize>(ic * kc)) * 4;
        else packA3(a, lda, transA, ic, mc, p0, kc, k, packedA);
        macroKernel3x12(pa, pb, c + (<usize>ic * n + jc) * 4, <usize>n * 4, mc, nc, kc, add, tile);
      }
    }
  }
}

/**
 * `gemm` for C at most 12 columns wide (n ≤ 12, all of them: j0 = 0, j1 = n), in the relaxed builds: B is one
 * 12-wide panel per k slice, and A is read where it lies (kernel3x12u) instead of packed: for W2's output layer
 * (256×1024×10, 1024×256×10 Aᵀ) packing A took longer than the multiply-adds. Rows past the last whole 3-row
 * tile go through packA3 and kernel3x12. Same bits as `gemm` and `gemmWide`; elsewhere it is `gemmWide`.
 */
export function gemmSkinny(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32,
  transA: bool, transB: bool, accumulate: bool,
  i0: i32, i1: i32, j0: i32, j1: i32, scratch: usize, preA: usize, preB: usize,
): void {
  if (!ASC_FEATURE_RELAXED_SIMD || k <= 0 || n > NR12 || j0 != 0 || j1 != n) {
    gemmWide(a, b, c, m, n, k, transA, transB, accumulate, i0, i1, j0, j1, scratch, preA, preB);
    return;
  }
  if (i1 <= i0) return;
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  const packedA = scratch;
  const packedB = packedA + <usize>(MC * KC) * 4;
  const tile = packedB + <usize>(KC * max(NC, NC12)) * 4;
  const ldc = <usize>n * 4;
  const sr: usize = transA ? 4 : <usize>lda * 4, sp: usize = transA ? <usize>lda * 4 : 4;
  const full = i0 + (i1 - i0) / MR3 * MR3;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const add = accumulate || p0 > 0;
    packB12(b, ldb, transB, p0, kc, 0, n, packedB);
    for (let i = i0; i < full; i += MR3) {
      const pa = a + (transA ? <usize>p0 * lda + <usize>i : <usize>i * lda + <usize>p0) * 4;
      const ct = c + <usize>i * ldc;
      if (n == NR12) {
        kernel3x12u(kc, pa, sr, sp, packedB, ct, ldc, add);
      } else {
        kernel3x12u(kc, pa, sr, sp, packedB, tile, NR12 * 4, false);
        copyTile(tile, NR12, ct, ldc, MR3, n, add);
      }
    }
    if (full < i1) {
      packA3(a, lda, transA, full, i1 - full, p0, kc, k, packedA);
      kernel3x12(kc, packedA, packedB, tile, NR12 * 4, false);
      copyTile(tile, NR12, c + <usize>full * ldc, ldc, i1 - full, n, add);
    }
  }
}

/** C block [mc×nc] (+)= packed A block · packed B block, tile by tile. */
function macroKernel(
  packedA: usize, packedB: usize, c: usize, ldc: usize, mc: i32, nc: i32, kc: i32, add: bool, tile: usize,
): void {
  // B micro-panel outer (it stays in L1), A micro-panels inner (they stream from L2).
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const pb = packedB + <usize>(jr * kc) * 4;
    for (let ir = 0; ir < mc; ir += MR) {
      const rows = min(MR, mc - ir);
      const pa = packedA + <usize>(ir * kc) * 4;
      const ct = c + <usize>ir * ldc + <usize>jr * 4;
      if (rows == MR && cols == NR) {
        kernel4x8(kc, pa, pb, ct, ldc, add);
      } else {
        // Edge tile: compute the full 4×8 into scratch, copy out the valid part.
        kernel4x8(kc, pa, pb, tile, NR * 4, false);
        copyTile(tile, NR, ct, ldc, rows, cols, add);
      }
    }
  }
}

/**
 * The inner loop alone, for bench/ceiling.ts: `reps` passes of the micro-kernel the large products take (3×12
 * in the relaxed builds, 4×8 in the plain ones) over one L1-resident packed pair kc deep (accumulating into c,
 * so nothing is optimized away; pa needs kc·12 floats, pb kc·12, c 32). Returns the FLOP it did. Its rate is
 * the ceiling the whole GEMM can approach on one core: packing, edges and cache misses only take away from it.
 */
export function gemmInnerLoop(pa: usize, pb: usize, c: usize, kc: i32, reps: i32): f64 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    for (let r = 0; r < reps; r++) kernel3x12(kc, pa, pb, c, NR12 * 4, true);
    return 2.0 * <f64>(MR3 * NR12) * <f64>kc * <f64>reps;
  }
  for (let r = 0; r < reps; r++) kernel4x8(kc, pa, pb, c, NR * 4, true);
  return 2.0 * <f64>(MR * NR) * <f64>kc * <f64>reps;
}

/**
 * The core's clock, for bench/ceiling.ts: n passes of 8 dependent one-cycle integer operations (xor, add), so
 * 8·n / seconds is the cycles per second the core gave this thread while it ran. The inner loop's GFLOP/s over
 * this figure is its FLOP per cycle, whose ceiling the instruction set fixes (16 with 128-bit FMA on two pipes)
 * whatever the clock. Returns the chain's end so nothing is optimized away.
 */
export function clockChain(n: i32, seed: i32): i32 {
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x ^ i) + seed; x = (x ^ i) + seed; x = (x ^ i) + seed; x = (x ^ i) + seed;
  }
  return x;
}
