/**
 * Byte order for the file formats that store float32 little-endian (TF.js weight shards, safetensors, Keel
 * checkpoints): on a big-endian host every 4-byte value is swapped in place on the way in and out.
 */

/** True on little-endian hosts (every platform Node and browsers run on today). */
export const LITTLE_ENDIAN = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

/** Reverses the byte order of each 4-byte value, in place. */
export function swap32(bytes: Uint8Array): void {
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const a = bytes[i]!,
      b = bytes[i + 1]!;
    bytes[i] = bytes[i + 3]!;
    bytes[i + 1] = bytes[i + 2]!;
    bytes[i + 2] = b;
    bytes[i + 3] = a;
  }
}
