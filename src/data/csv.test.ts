import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCsv, csvToDataset } from './csv.js';
import type { CsvOptions } from './csv.js';
import { parseCsv } from './csv-parse.js';
import { DataError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'keel-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function file(text: string): string {
  const p = join(dir, `data${fileNo++}.csv`);
  writeFileSync(p, text);
  return p;
}

/** Loading `text` fails with a DataError naming the file, the line and the column. */
function expectError(text: string, opts: CsvOptions, line: number, column: string | undefined, what: RegExp): void {
  const path = file(text);
  assert.throws(
    () => loadCsv(path, opts),
    (e: unknown) => {
      assert.ok(e instanceof DataError, `not a DataError: ${String(e)}`);
      assert.ok(e.message.includes(path), `no file in: ${e.message}`);
      assert.ok(e.message.includes(`line ${line}`), `no "line ${line}" in: ${e.message}`);
      if (column !== undefined)
        assert.ok(e.message.includes(`column "${column}"`), `no column "${column}" in: ${e.message}`);
      assert.match(e.message, what);
      assert.equal(e.line, line);
      return true;
    },
  );
}

const label = { labelColumn: 'label' };

test('reads features in header order and integer labels; numClasses = max + 1', () => {
  const ds = loadCsv(file('a,label,b\n1,0,2\n3.5,2,-4e-1\n'), label);
  assert.equal(ds.numExamples, 2);
  assert.deepEqual(ds.featureShape, [2]);
  assert.deepEqual([...ds.x], [1, 2, 3.5, Math.fround(-0.4)]);
  assert.deepEqual([...ds.y], [0, 2]);
  assert.equal(ds.numClasses, 3);
});

test('handles quotes, embedded commas/newlines, CRLF, BOM, blank lines, other delimiters', () => {
  const text = '\uFEFF"x, first",label,"say ""y"""\r\n"1",1,2\r\n\r\n3,0,"4"\r\n';
  const ds = loadCsv(file(text), label);
  assert.deepEqual([...ds.x], [1, 2, 3, 4]);
  assert.deepEqual([...ds.y], [1, 0]);
  assert.deepEqual(parseCsv('a,"b\nc",d\n"e""",f,'), {
    records: [
      ['a', 'b\nc', 'd'],
      ['e"', 'f', ''],
    ],
    lines: [1, 3],
  });
  assert.deepEqual(parseCsv('a;b\r1;2\r').records, [['a;b'], ['1;2']]);
  assert.deepEqual(parseCsv('a;b\r1;2', ';').records, [
    ['a', 'b'],
    ['1', '2'],
  ]);
  const semi = loadCsv(file('f;label\n0.5;1\n'), { labelColumn: 'label', delimiter: ';' });
  assert.deepEqual([...semi.x], [0.5]);
});

test('regression keeps real-valued targets and sets no numClasses', () => {
  const ds = loadCsv(file('x,price\n1,2.5\n2,-3\n'), { labelColumn: 'price', task: 'regression' });
  assert.deepEqual([...ds.y], [2.5, -3]);
  assert.equal(ds.numClasses, undefined);
});

test('row with too few fields names the first missing column', () => {
  expectError('a,b,label\n1,2,0\n1,2\n', label, 3, 'label', /2 fields but the header has 3/);
});

test('row with too many fields', () => {
  expectError('a,label\n1,0\n2,1\n3,1,9\n', label, 4, 'label', /3 fields but the header has 2.*extra field/);
});

test('non-numeric cell', () => {
  expectError('height,weight,label\n1,2,0\n1,abc,0\n', label, 3, 'weight', /"abc" is not a number/);
  expectError('a,label\n1,0x1F\n', label, 2, 'label', /not a number/);
  expectError('a,label\n1,cat\n', label, 2, 'label', /map class names to ids/);
});

test('empty and NaN cells', () => {
  expectError('a,b,label\n1,2,0\n1,,0\n', label, 3, 'b', /empty cell/);
  expectError('a,b,label\n1, ,0\n', label, 2, 'b', /empty cell/);
  expectError('a,b,label\nNaN,1,0\n', label, 2, 'a', /NaN cell/);
  expectError('a,b,label\n1,Infinity,0\n', label, 2, 'b', /not a number/);
});

test('line numbers count physical lines: blank lines, CRLF and multi-line quoted fields', () => {
  expectError('a,label\r\n1,0\r\n\r\n"2\n",1\r\n3,x\r\n', label, 6, 'label', /"x" is not a number/);
});

test('unknown label column suggests the closest header name', () => {
  expectError('sepal_length,Species\n1,0\n', { labelColumn: 'species' }, 1, 'species', /Did you mean "Species"\?/);
  expectError('a,b\n1,0\n', { labelColumn: 'target' }, 1, 'target', /no column named "target".*Columns: "a", "b"/);
});

test('negative or non-integer labels are rejected for classification', () => {
  expectError('a,label\n1,0\n1,-1\n', label, 3, 'label', /label -1 is not a class id/);
  expectError('a,label\n1,0.5\n', label, 2, 'label', /label 0.5 is not a class id.*regression/);
  expectError('a,label\n1,3\n', { labelColumn: 'label', numClasses: 3 }, 2, 'label', /not below numClasses = 3/);
});

test('empty file, header only, label-only, duplicate columns, unterminated quote', () => {
  expectError('', label, 1, undefined, /empty; expected a header row/);
  expectError('\n\n', label, 1, undefined, /empty/);
  expectError('a,label\n', label, 1, undefined, /header row but no data rows/);
  expectError('label\n1\n', label, 1, 'label', /only column/);
  expectError('a,label,a\n1,0,2\n', label, 1, 'a', /duplicate column name/);
  expectError('a,label\n1,0\n"2,1\n', label, 3, undefined, /unterminated quoted field/);
});

test('csvToDataset works on text and names a given source', () => {
  assert.equal(csvToDataset('a,label\n1,0\n', label).numExamples, 1);
  assert.throws(
    () => csvToDataset('a,label\n1,z\n', { ...label, file: 'upload.csv' }),
    /^DataError: upload.csv, line 2, column "label"/,
  );
  assert.throws(() => loadCsv(join(dir, 'missing.csv'), label), /missing\.csv: cannot read CSV file/);
});
