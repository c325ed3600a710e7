/**
 * Weight binaries of the TF.js layers format (keras-semantics.md §9.2 step 5):
 * a `weightsManifest` of groups {paths, weights: [{name, shape, dtype}]}; the
 * group's shard files concatenated hold the tensors back to back in manifest
 * order, little-endian float32, row-major, no padding.
 *
 * Everything from a file is validated before any allocation that depends on it:
 * names, shapes (non-negative integers, bounded products), dtypes, shard names
 * (plain file names: no path can escape the model directory) and byte counts.
 */
import { formatShape } from '../../tensor/shape.js';
import { LITTLE_ENDIAN, swap32 } from '../../util/endian.js';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}
export interface ManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}
export interface NamedWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Upper bounds that keep hostile documents from causing huge allocations or long loops. */
export const LIMITS = {
  /** Total number of weight values (2^28 floats = 1 GiB). */
  maxParams: 2 ** 28,
  maxWeights: 100_000,
  maxShards: 10_000,
  maxRank: 8,
};

/** Manifest entries and the concatenated little-endian bytes of all weights, in getWeights order. */
export function encodeWeights(weights: readonly { name: string; shape: number[]; data: Float32Array }[]): {
  specs: WeightSpec[];
  bytes: Uint8Array;
} {
  const total = weights.reduce((n, w) => n + w.data.length, 0);
  const out = new Float32Array(total);
  let offset = 0;
  for (const w of weights) {
    out.set(w.data, offset);
    offset += w.data.length;
  }
  const bytes = new Uint8Array(out.buffer);
  if (!LITTLE_ENDIAN) swap32(bytes);
  return { specs: weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: 'float32' })), bytes };
}

/** Splits bytes into shards of at most `shardBytes` (TF.js converter default: 4 MiB). */
export function splitShards(bytes: Uint8Array, shardBytes = 4 * 1024 * 1024): Uint8Array[] {
  if (bytes.length === 0) return [];
  const shards: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += shardBytes)
    shards.push(bytes.subarray(start, Math.min(bytes.length, start + shardBytes)));
  return shards;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A shard path must be a plain file name: no directories, no '..', nothing hidden. */
function checkShardName(path: unknown, where: string): string {
  if (
    typeof path !== 'string' ||
    path.length === 0 ||
    path.length > 255 ||
    /[/\\\0]/.test(path) ||
    path === '.' ||
    path === '..' ||
    path.startsWith('.')
  ) {
    throw new Error(
      `${where}: shard path ${JSON.stringify(path)?.slice(0, 100)} must be a plain file name inside the model ` +
        `directory`,
    );
  }
  return path;
}

/** Validates a shape from a file; returns its element count. */
export function checkShape(shape: unknown, where: string): number {
  if (!Array.isArray(shape) || shape.length > LIMITS.maxRank)
    throw new Error(
      `${where}: shape must be an array of at most ${LIMITS.maxRank} non-negative integers; received ` +
        `${JSON.stringify(shape)?.slice(0, 100)}`,
    );
  let size = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0)
      throw new Error(
        `${where}: shape must hold non-negative integers; received ${JSON.stringify(shape).slice(0, 100)}`,
      );
    size *= d;
    if (size > LIMITS.maxParams)
      throw new Error(
        `${where}: shape ${formatShape(shape as number[])} has more than ${LIMITS.maxParams} values (the limit ` +
          `for a model)`,
      );
  }
  return size;
}

/** Validates `weightsManifest`; returns the groups and the total number of float32 values. */
export function parseManifest(
  manifest: unknown,
  where = 'model.json weightsManifest',
): { groups: ManifestGroup[]; totalValues: number } {
  if (!Array.isArray(manifest))
    throw new Error(`${where}: expected an array of {paths, weights} groups; received ${typeof manifest}`);
  const groups: ManifestGroup[] = [];
  let totalValues = 0,
    count = 0,
    shardCount = 0;
  const names = new Set<string>();
  const shards = new Set<string>();
  manifest.forEach((group, g) => {
    const gw = `${where}[${g}]`;
    if (!isPlainObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights))
      throw new Error(`${gw}: expected {paths: [...], weights: [...]}`);
    shardCount += group.paths.length;
    if (shardCount > LIMITS.maxShards) throw new Error(`${where}: more than ${LIMITS.maxShards} shard files`);
    const paths = group.paths.map((p, i) => checkShardName(p, `${gw}.paths[${i}]`));
    for (const p of paths) {
      if (shards.has(p))
        throw new Error(`${gw}: shard '${p}' is listed more than once (each shard holds its own bytes)`);
      shards.add(p);
    }
    const weights: WeightSpec[] = group.weights.map((w, i) => {
      const ww = `${gw}.weights[${i}]`;
      if (++count > LIMITS.maxWeights) throw new Error(`${where}: more than ${LIMITS.maxWeights} weights`);
      if (!isPlainObject(w) || typeof w.name !== 'string' || w.name.length === 0)
        throw new Error(`${ww}: expected {name, shape, dtype} with a non-empty string name`);
      if (w.quantization !== undefined && w.quantization !== null)
        throw new Error(`${ww} ('${w.name}'): quantized weights are not supported; convert without --quantize`);
      if (w.dtype !== undefined && w.dtype !== 'float32')
        throw new Error(`${ww} ('${w.name}'): dtype ${JSON.stringify(w.dtype)} is not supported; only float32`);
      if (names.has(w.name)) throw new Error(`${ww}: weight name '${w.name}' appears twice`);
      names.add(w.name);
      totalValues += checkShape(w.shape, `${ww} ('${w.name}')`);
      if (totalValues > LIMITS.maxParams)
        throw new Error(`${where}: the weights hold more than ${LIMITS.maxParams} values (the limit for a model)`);
      return { name: w.name, shape: [...(w.shape as number[])], dtype: 'float32' };
    });
    if (weights.length > 0 && paths.length === 0)
      throw new Error(`${gw}: ${weights.length} weights but no shard paths`);
    groups.push({ paths, weights });
  });
  return { groups, totalValues };
}

/** Cuts one group's concatenated shard bytes into named tensors; the byte count must match exactly. */
export function decodeGroup(group: ManifestGroup, bytes: Uint8Array, where: string): NamedWeight[] {
  const expected = group.weights.reduce((n, w) => n + w.shape.reduce((p, d) => p * d, 1), 0) * 4;
  if (bytes.length !== expected) {
    throw new Error(
      `${where}: the shard files ${group.paths.join(', ')} hold ${bytes.length} bytes but the manifest's weights (` +
        `${group.weights.map((w) => `${w.name} ${formatShape(w.shape)}`).join(', ')}) need ${expected} bytes of ` +
        `float32`,
    );
  }
  // Copy into a fresh aligned buffer (a Buffer from fs may start at any offset), then view per weight.
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  if (!LITTLE_ENDIAN) swap32(copy);
  const all = new Float32Array(copy.buffer);
  const out: NamedWeight[] = [];
  let offset = 0;
  for (const w of group.weights) {
    const n = w.shape.reduce((p, d) => p * d, 1);
    out.push({ name: w.name, shape: w.shape, data: all.subarray(offset, offset + n) });
    offset += n;
  }
  return out;
}
