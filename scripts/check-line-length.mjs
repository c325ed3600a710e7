#!/usr/bin/env node
// Fails when a source line is longer than 120. Prettier (printWidth 120) breaks code, but not a long
// string, template literal or comment; this catches those. Length is counted strictly, in UTF-8 bytes,
// so a line that passes here passes every other way of counting (code points, display width): 'λ₀₁'
// is 3 code points but 7 bytes. Checks *.ts, *.mjs, *.js and *.py under src, test, bench, scripts,
// lab and examples (or the paths given as arguments), skipping generated code.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const MAX = 120;
const EXTENSIONS = ['.ts', '.mjs', '.js', '.py'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'generated', '.cache']);

function collect(path, out) {
  if (!existsSync(path)) return out;
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path)) {
      if (!SKIP_DIRS.has(name)) collect(join(path, name), out);
    }
  } else if (EXTENSIONS.some((ext) => path.endsWith(ext))) {
    out.push(path);
  }
  return out;
}

const roots = process.argv.length > 2 ? process.argv.slice(2) : ['src', 'test', 'bench', 'scripts', 'lab', 'examples'];
const files = roots.flatMap((root) => collect(root, [])).sort();
const long = [];
for (const file of files) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const width = Buffer.byteLength(raw.replace(/\r$/, ''), 'utf8');
      if (width > MAX) long.push(`${relative('.', file)}:${i + 1}: ${width} bytes`);
    });
}
for (const line of long) console.log(line);
if (long.length > 0) {
  console.error(`check-line-length: ${long.length} lines over ${MAX} bytes in ${files.length} files`);
  process.exit(1);
}
console.log(`check-line-length: all lines in ${files.length} files are at most ${MAX} bytes`);
