/**
 * A folder lock for Node (keel train's --checkpoint folder): a lock file holding the owner's pid, created
 * exclusively, so two runs never write the same checkpoint folder (each would take the other's temporary files
 * for leftovers of a crash). A lock left by a process that no longer runs (killed) is taken over.
 */
import { mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../nn/serialization/atomic.js';

export const LOCK_FILE = '.keel-lock';

/** Takes `dir` for this process; returns the release (also run when the process exits). */
export function lockFolder(dir: string, what = 'folder'): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      const release = () => {
        try {
          if (Number(readFileSync(path, 'utf8').trim()) === process.pid) unlinkSync(path);
        } catch {
          // already gone
        }
        process.removeListener('exit', release);
      };
      process.once('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number(readFileSync(path, 'utf8').trim());
      } catch {
        // removed meanwhile: try again
      }
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner))
        throw new Error(
          `${what} ${dir} is in use by another Keel run (process ${owner}); give each run its own folder`,
        );
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`${what} ${dir}: could not take its lock (${path})`);
}
