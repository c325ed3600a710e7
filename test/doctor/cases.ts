/** The doctor's test cases: test/cases/*.json with their expected kind in test/cases/expected.json. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CASES_DIR = join(import.meta.dirname, '..', 'cases');
/** Trial length used by the tests (the CLI default is 150 too). */
export const STEPS = 150;

export function loadCases(): { file: string; path: string; expected: string }[] {
  const manifest = JSON.parse(readFileSync(join(CASES_DIR, 'expected.json'), 'utf8')) as Record<string, string>;
  return Object.entries(manifest).map(([file, expected]) => ({ file, path: join(CASES_DIR, file), expected }));
}
