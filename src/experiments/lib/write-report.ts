/** Writes an experiment's Markdown report atomically (temp name + rename). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/write-atomic.js';

/** `<dir>/<name>.md` (or `<name>.quick.md` for a quick run, so it never overwrites a full run's table). */
export function writeReport(dir: string, name: string, markdown: string, quick: boolean): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}${quick ? '.quick' : ''}.md`);
  writeFileAtomic(path, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return path;
}
