/**
 * The safetensors format (no dependency: it is 8 bytes of header length, a JSON header and the raw data):
 *
 *   bytes 0–7   uint64 LE: header length N
 *   8 … 8+N     UTF-8 JSON {"__metadata__": {string: string}, "<tensor>": {dtype, shape, data_offsets: [b, e]}}
 *               padded with spaces to a multiple of 8
 *   then        the tensors' bytes, little-endian, row-major; data_offsets count from the end of the header
 *
 * Keel writes float32 ("F32") tensors named as its weights ('dense/kernel', in Keras's layout: a Dense kernel
 * is [in, out]) and puts the Keras 3 model config and its own metadata in `__metadata__`. Reading checks
 * everything (header length against the file, the JSON, every dtype, shape and offset range, overlaps) before
 * any tensor is copied.
 */
import { checkShape, LIMITS } from '../../nn/serialization/weights.js';
import { isPlainObject, parseJson, MAX_JSON_BYTES } from '../../nn/serialization/validate.js';
import { formatShape } from '../../tensor/shape.js';
import { LITTLE_ENDIAN, swap32 } from '../../util/endian.js';

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** The bytes of a .safetensors file holding `tensors` (float32) and `metadata` (string values). */
export function encodeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '__metadata__' || t.name in header) throw new Error(`safetensors: tensor name '${t.name}' twice`);
    const n = t.shape.reduce((p, d) => p * d, 1);
    if (n !== t.data.length)
      throw new Error(`safetensors: tensor '${t.name}' has ${t.data.length} values but shape ${formatShape(t.shape)}`);
    header[t.name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + n * 4] };
    offset += n * 4;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of tensors) {
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    out.set(bytes, at);
    if (!LITTLE_ENDIAN) swap32(out.subarray(at, at + bytes.length));
    at += bytes.length;
  }
  return out;
}

export interface SafetensorsSpec {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}

export interface ParsedSafetensors {
  metadata: Record<string, string>;
  tensors: SafetensorsSpec[];
  /** Byte offset of the data section in the file. */
  dataStart: number;
}

/** Parses and checks the header of a .safetensors file (nothing tensor-sized is allocated). */
export function parseSafetensorsHeader(bytes: Uint8Array, where: string): ParsedSafetensors {
  if (bytes.length < 8)
    throw new Error(`${where}: ${bytes.length} bytes is too short for a safetensors file (8-byte header length)`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8))
    throw new Error(
      `${where}: the header length field says ${n} bytes but the file has only ${bytes.length - 8} after it ` +
        `(truncated, or not a safetensors file)`,
    );
  if (n > BigInt(MAX_JSON_BYTES))
    throw new Error(`${where}: a header of ${n} bytes is more than the ${MAX_JSON_BYTES} accepted`);
  const headerBytes = Number(n);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerBytes));
  } catch {
    throw new Error(`${where}: the header is not UTF-8 text (not a safetensors file?)`);
  }
  const doc = parseJson(text, `${where} header`);
  if (!isPlainObject(doc)) throw new Error(`${where}: the header must be a JSON object`);
  const metadata: Record<string, string> = {};
  const rawMeta = doc.__metadata__;
  if (rawMeta !== undefined && rawMeta !== null) {
    if (!isPlainObject(rawMeta)) throw new Error(`${where}: __metadata__ must be an object of strings`);
    for (const [k, v] of Object.entries(rawMeta)) {
      if (typeof v !== 'string')
        throw new Error(`${where}: __metadata__.${k} must be a string (safetensors metadata holds strings only)`);
      metadata[k] = v;
    }
  }
  const dataBytes = bytes.length - 8 - headerBytes;
  const tensors: SafetensorsSpec[] = [];
  let total = 0;
  for (const [name, entry] of Object.entries(doc)) {
    if (name === '__metadata__') continue;
    const w = `${where}: tensor '${name.slice(0, 100)}'`;
    if (tensors.length >= LIMITS.maxWeights) throw new Error(`${where}: more than ${LIMITS.maxWeights} tensors`);
    if (!isPlainObject(entry)) throw new Error(`${w}: expected {dtype, shape, data_offsets}`);
    if (entry.dtype !== 'F32')
      throw new Error(
        `${w}: dtype ${JSON.stringify(entry.dtype)?.slice(0, 40)} is not supported; Keel reads F32 (float32)`,
      );
    const size = checkShape(entry.shape, w);
    total += size;
    if (total > LIMITS.maxParams)
      throw new Error(`${where}: the tensors hold more than ${LIMITS.maxParams} values (the limit for a model)`);
    const off = entry.data_offsets;
    if (
      !Array.isArray(off) ||
      off.length !== 2 ||
      !off.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) ||
      (off[0] as number) > (off[1] as number)
    )
      throw new Error(
        `${w}: data_offsets must be [begin, end] with 0 <= begin <= end; received ${JSON.stringify(off)}`,
      );
    const [begin, end] = off as [number, number];
    if (end - begin !== size * 4)
      throw new Error(
        `${w}: data_offsets [${begin}, ${end}] span ${end - begin} bytes but shape ${formatShape(
          entry.shape as number[],
        )} of F32 needs ${size * 4}`,
      );
    if (end > dataBytes)
      throw new Error(
        `${w}: data_offsets end at byte ${end} of the data but the file holds only ${dataBytes} bytes of data ` +
          `(truncated?)`,
      );
    tensors.push({ name, shape: [...(entry.shape as number[])], begin, end });
  }
  const sorted = [...tensors].sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]!.begin < sorted[i - 1]!.end)
      throw new Error(`${where}: tensors '${sorted[i - 1]!.name}' and '${sorted[i]!.name}' overlap in the data`);
  return { metadata, tensors, dataStart: 8 + headerBytes };
}

/** One tensor's values (a copy, so the result is aligned and owns its memory). */
export function readSafetensor(bytes: Uint8Array, parsed: ParsedSafetensors, spec: SafetensorsSpec): Float32Array {
  const copy = new Uint8Array(spec.end - spec.begin);
  copy.set(bytes.subarray(parsed.dataStart + spec.begin, parsed.dataStart + spec.end));
  if (!LITTLE_ENDIAN) swap32(copy);
  return new Float32Array(copy.buffer);
}
