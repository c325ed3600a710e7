/**
 * HDF5 through h5wasm (the HDF5 C library compiled to WebAssembly; its Node build reads and writes real
 * files). It is imported on first use through a specifier esbuild does not follow, so it stays out of the
 * lab's browser bundle and costs nothing to code that never touches an HDF5 file.
 *
 * HDF5 works on files, so bytes are written to a private temporary folder, opened, and removed afterwards.
 * A file whose first bytes are not the HDF5 signature is refused before the library sees it.
 */
import type * as H5Types from 'h5wasm/node';

export type H5Lib = typeof H5Types.default;
export type H5File = H5Types.File;
export type H5Group = H5Types.Group;
export type H5Dataset = H5Types.Dataset;

let loading: Promise<H5Lib> | null = null;

/** h5wasm's Node build, loaded once. */
export function loadH5(): Promise<H5Lib> {
  if (loading === null) {
    // A non-literal specifier: bundlers leave it alone, so the browser lab never pulls in 4 MB of wasm.
    const specifier = ['h5wasm', 'node'].join('/');
    loading = (import(specifier) as Promise<{ default: H5Lib }>).then(async (m) => {
      await m.default.ready;
      return m.default;
    });
    loading.catch(() => (loading = null));
  }
  return loading;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether `bytes` start with the HDF5 signature (Keel reads files whose superblock is at offset 0). */
export function isHdf5(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const fs = await import('node:fs/promises');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'keel-h5-'));
  return { dir, remove: () => fs.rm(dir, { recursive: true, force: true }) };
}

/** Runs `read` on the HDF5 file held in `bytes` (opened read-only), then closes and removes it. */
export async function readH5<T>(bytes: Uint8Array, where: string, read: (file: H5File) => T): Promise<T> {
  if (!isHdf5(bytes))
    throw new Error(
      `${where}: not an HDF5 file (its first 8 bytes are not the HDF5 signature \\x89HDF\\r\\n\\x1a\\n); ` +
        `the file is truncated, corrupted or of another format`,
    );
  const h5 = await loadH5();
  const fs = await import('node:fs/promises');
  const tmp = await tempDir();
  try {
    const file = `${tmp.dir}/in.h5`;
    await fs.writeFile(file, bytes);
    let handle: H5File;
    try {
      handle = new h5.File(file, 'r');
    } catch (e) {
      throw new Error(`${where}: HDF5 could not open the file (truncated or corrupted?): ${messageOf(e)}`);
    }
    try {
      return read(handle);
    } finally {
      handle.close();
    }
  } finally {
    await tmp.remove();
  }
}

/** The bytes of a new HDF5 file that `write` fills. */
export async function writeH5(write: (file: H5File) => void): Promise<Uint8Array> {
  const h5 = await loadH5();
  const fs = await import('node:fs/promises');
  const tmp = await tempDir();
  try {
    const file = `${tmp.dir}/out.h5`;
    const handle = new h5.File(file, 'w');
    try {
      write(handle);
    } finally {
      handle.close();
    }
    return new Uint8Array(await fs.readFile(file));
  } finally {
    await tmp.remove();
  }
}

/** The group at `path` ('a/b/c'), creating each missing level (h5wasm creates one level at a time). */
export function ensureGroup(file: H5File, path: string): H5Group {
  let group: H5Group = file;
  let at = '';
  for (const part of path.split('/').filter((p) => p.length > 0)) {
    at = `${at}/${part}`;
    group = getGroup(file, at) ?? file.create_group(at);
  }
  return group;
}

/** The group at `path`, or null when there is none (or it is not a group). */
export function getGroup(file: H5File, path: string): H5Group | null {
  const entity = safeGet(file, path);
  return kindOf(entity) === 'Group' ? (entity as H5Group) : null;
}

/** The dataset at `path`, or null. */
export function getDataset(file: H5File | H5Group, path: string): H5Dataset | null {
  const entity = safeGet(file, path);
  return kindOf(entity) === 'Dataset' ? (entity as H5Dataset) : null;
}

function safeGet(group: H5File | H5Group, path: string): ReturnType<H5Group['get']> {
  try {
    return group.get(path);
  } catch {
    return null;
  }
}

/** A dataset's element type in numpy's notation ('<f4', '<i8'...), from its metadata (no data read). */
export function datasetDtype(ds: H5Dataset): string {
  const m = ds.metadata;
  const order = m.littleEndian ? '<' : '>';
  if (m.type === 1) return `${order}f${m.size}`;
  if (m.type === 0) return `${order}${m.signed ? 'i' : 'u'}${m.size}`;
  return `class ${m.type}`;
}

/** A string attribute (a variable- or fixed-length string, or a list of them), or null. */
export function stringAttr(entity: H5Group | H5Dataset, name: string): string | string[] | null {
  let value: unknown;
  try {
    if (!(name in entity.attrs)) return null;
    value = entity.get_attribute(name, true);
  } catch {
    return null;
  }
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return null;
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function kindOf(entity: unknown): unknown {
  return typeof entity === 'object' && entity !== null && 'type' in entity ? entity.type : null;
}

/** An error of the HDF5 library while reading, as an Error that names the file and says what it means. */
function corrupt(where: string, e: unknown): Error {
  return new Error(`${where}: HDF5 could not read the file (truncated or corrupted?): ${messageOf(e)}`);
}

/** The names in a group. */
export function keysOf(group: H5Group, where: string): string[] {
  try {
    return group.keys();
  } catch (e) {
    throw corrupt(where, e);
  }
}

/** A dataset's shape and numpy dtype, from its metadata (no data read). */
export function describe(ds: H5Dataset, where: string): { shape: number[]; dtype: string } {
  try {
    return { shape: [...(ds.shape ?? [])], dtype: datasetDtype(ds) };
  } catch (e) {
    throw corrupt(where, e);
  }
}

/** A dataset's values. */
export function valueOf(ds: H5Dataset, where: string): unknown {
  try {
    return ds.value;
  } catch (e) {
    throw corrupt(where, e);
  }
}
