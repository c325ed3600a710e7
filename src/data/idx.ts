import { gunzipSync } from 'node:zlib';
import { DataError } from './errors.js';

/**
 * The IDX format of the original MNIST files (big-endian): a 4-byte magic
 * 0x00 0x00 <type> <ndim>, then ndim u32 sizes, then the data. Keel only reads
 * type 0x08 (unsigned byte). Gzipped files (as served by the MNIST site) are
 * recognized by their 1f 8b header and inflated transparently.
 */
export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;

export function parseIdx(bytes: Uint8Array, file: string, expectedDims: number): IdxArray {
  let buf = bytes;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new DataError(`gzip data is corrupt: ${(e as Error).message}`, { file });
    }
  }
  if (buf.length < 4) throw new DataError(`too short for an IDX file (${buf.length} bytes)`, { file });
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = view.getUint32(0, false);
  const expectedMagic = (UBYTE << 8) | expectedDims;
  if (magic !== expectedMagic) {
    throw new DataError(
      `bad IDX magic number 0x${hex(magic)}, expected 0x${hex(expectedMagic)} ` +
        `(unsigned bytes, ${expectedDims} dimension${expectedDims === 1 ? '' : 's'})`,
      { file },
    );
  }
  const headerBytes = 4 + 4 * expectedDims;
  if (buf.length < headerBytes) throw new DataError(`IDX header truncated (${buf.length} bytes)`, { file });
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < expectedDims; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    shape.push(size);
    count *= size;
  }
  if (buf.length !== headerBytes + count) {
    throw new DataError(
      `IDX size mismatch: header says [${shape.join(', ')}] = ${count} bytes of data, ` +
        `file has ${buf.length - headerBytes}`,
      { file },
    );
  }
  return { shape, data: buf.subarray(headerBytes) };
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
