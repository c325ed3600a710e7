/**
 * Crash-safe file writes: write to a temporary name in the same directory,
 * fsync the file, rename it over the target, fsync the directory. rename(2)
 * within one file system is atomic, so a reader (or a process restarted after
 * SIGKILL or power loss) sees either the old file or the new one, never a
 * half-written one. node:fs is imported lazily so that the rest of nn/ stays
 * loadable in a browser.
 */
import type * as FsPromises from 'node:fs/promises';

let fsModule: typeof FsPromises | null = null;
let tempCounter = 0;

/** node:fs/promises, loaded on first use (a clear error outside Node). */
export async function nodeFs(): Promise<typeof FsPromises> {
  if (fsModule !== null) return fsModule;
  try {
    fsModule = await import('node:fs/promises');
  } catch {
    throw new Error(
      'Saving and loading files needs Node.js (node:fs is not available here); in a browser use the in-memory ' +
        'artifacts API',
    );
  }
  return fsModule;
}

/** A temporary name next to `path` that no other writer uses. Starts with '.' and contains '.tmp-'. */
function tempNameFor(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dir = path.slice(0, slash + 1),
    base = path.slice(slash + 1);
  // pid + clock + counter, not a random draw: a file name must not consume the seeded stream.
  const unique = `${process.pid}-${Date.now().toString(36)}-${(tempCounter++).toString(36)}`;
  return `${dir}.${base}.tmp-${unique}`;
}

/** Whether a process with this id runs (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** A temporary name (tempNameFor) whose writer is another process that is still running. */
function writtenByOtherLiveProcess(name: string): boolean {
  const pid = Number(/\.tmp-(\d+)-/.exec(name)?.[1]);
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid);
}

/** True for files left behind by an interrupted atomic write. */
export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.includes('.tmp-');
}

/** fsync a directory so a rename inside it is durable (ignored where directories cannot be opened, e.g. Windows). */
export async function syncDir(dir: string): Promise<void> {
  const fs = await nodeFs();
  let handle: FsPromises.FileHandle | null = null;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Best effort: some platforms refuse fsync on directories.
  } finally {
    await handle?.close();
  }
}

/** Writes `data` to `path` atomically (temp name, fsync, rename, fsync dir). */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: { syncDirectory?: boolean } = {},
): Promise<void> {
  const fs = await nodeFs();
  const tmp = tempNameFor(path);
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } catch (e) {
      await handle.close().catch(() => {});
      await fs.rm(tmp, { force: true });
      throw e;
    }
    await handle.close();
    try {
      await fs.rename(tmp, path);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
  } catch (e) {
    // Node's ENOSPC/EROFS/EACCES messages say "write" or name the temporary file: name the file being written.
    const err = e as { message?: unknown; code?: string };
    if (typeof err?.message !== 'string' || err.message.includes(path)) throw e;
    const named = new Error(`cannot write ${path}: ${err.message}`) as Error & { code?: string };
    if (err.code !== undefined) named.code = err.code;
    throw named;
  }
  if (options.syncDirectory ?? true) await syncDir(dirnameOf(path));
}

/** Removes leftovers of interrupted writes in `dir` (only names made by tempNameFor). */
export async function removeStaleTemps(dir: string): Promise<void> {
  const fs = await nodeFs();
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  // A temporary file of another live process is its write in progress, not a leftover.
  const stale = names.filter((n) => isTempName(n) && !writtenByOtherLiveProcess(n));
  await Promise.all(stale.map((n) => fs.rm(joinPath(dir, n), { force: true, recursive: true })));
}

function dirnameOf(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return slash < 0 ? '.' : slash === 0 ? '/' : path.slice(0, slash);
}

export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') || dir.endsWith('\\') ? dir + name : `${dir}/${name}`;
}
