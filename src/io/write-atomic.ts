/**
 * Writes a file so that a crash leaves either the old or the new content, never
 * half of it: a temporary file in the same folder, every byte written, fsync,
 * rename over the target (atomic within one file system). The temporary file
 * is removed if anything fails. Synchronous; the async variant for nn/ (which
 * must stay loadable in browsers) is nn/serialization/atomic.ts.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    const fd = openSync(temp, 'w');
    try {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw namingFile(e, path);
  }
}

/**
 * The error with the file's name in its message (Node's ENOSPC, EROFS, EACCES on write say "write", not which
 * file); `code` is kept.
 */
export function namingFile(e: unknown, path: string): Error {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.message !== 'string' || err.message.includes(path)) return err;
  const named = new Error(`cannot write ${path}: ${err.message}`) as NodeJS.ErrnoException;
  if (err.code !== undefined) named.code = err.code;
  return named;
}
