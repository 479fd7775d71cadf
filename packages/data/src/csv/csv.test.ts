import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '@vib/core';
import { describe, expect, it } from 'vitest';
import { csvDataset } from './csv-dataset.js';
import { encodeLabels, parseCsv } from './parse-csv.js';

describe('parseCsv', () => {
  it('parses features and the label column wherever it is', () => {
    const t = parseCsv('x1,label,x2\n1,0,2.5\n\n-3,1,4e-1\n', 't.csv', { labelColumn: 'label' });
    expect(t.featureNames).toEqual(['x1', 'x2']);
    expect([...t.x]).toEqual([1, 2.5, -3, Math.fround(0.4)]);
    expect([...t.y]).toEqual([0, 1]);
    expect(t.numClasses).toBe(2);
  });
  it('reports a non-numeric cell by file, line number and column', () => {
    const rows = ['x1,x2,x3,label', ...Array.from({ length: 15 }, (_, i) => `${i},1,2,0`), '1,2,abc,1'];
    let err: unknown;
    try {
      parseCsv(rows.join('\n'), 'file.csv', { labelColumn: 'label' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/^file\.csv line 17, column 'x3': 'abc' is not a number/);
  });
  it('reports a missing label column and a ragged row', () => {
    expect(() => parseCsv('a,b\n1,2\n', 'f.csv', { labelColumn: 'y' })).toThrow(/no column 'y' in the header \(columns: a, b\)/);
    expect(() => parseCsv('a,y\n1,2\n1\n', 'f.csv', { labelColumn: 'y' })).toThrow(/f\.csv line 3: 1 cells but the header has 2 columns/);
  });
  it('encodes integer labels as is and names as sorted indices', () => {
    expect(encodeLabels(['2', '0']).numClasses).toBe(3);
    const named = encodeLabels(['dog', 'cat', 'dog']);
    expect([...named.y]).toEqual([1, 0, 1]);
    expect(named.classNames).toEqual(['cat', 'dog']);
  });
});

describe('csv dataset', () => {
  it('splits deterministically by testFraction and keeps every row once', async () => {
    const dir = await import('node:fs/promises').then(() => mkdtemp(join(tmpdir(), 'vib-csv-')));
    const path = join(dir, 'd.csv');
    await writeFile(path, ['a,b,label', ...Array.from({ length: 10 }, (_, i) => `${i / 10},${i},${i % 2}`)].join('\n'));
    const cfg = csvDataset.configSchema.parse({ path });
    const d1 = await csvDataset.load(cfg);
    const d2 = await csvDataset.load(cfg);
    expect(d1.train.n).toBe(8);
    expect(d1.test.n).toBe(2);
    expect([...d1.test.x]).toEqual([...d2.test.x]);
    const bs = [...d1.train.x, ...d1.test.x].filter((_, i) => i % 2 === 1).sort((p, q) => p - q);
    expect(bs).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(d1.inputsInUnitInterval).toBe(false);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('hostile and RFC 4180 CSV', () => {
  it('decodes quoted fields holding the delimiter, line breaks and "" escapes (RFC 4180)', () => {
    const t = parseCsv('"x, one","say ""hi""\nthere",label\n"1.5",2,"cat, big"\n3,"4",dog\n', 'q.csv', { labelColumn: 'label' });
    expect(t.featureNames).toEqual(['x, one', 'say "hi"\nthere']);
    expect(t.classNames).toEqual(['cat, big', 'dog']);
    expect(() => parseCsv('a,label\n"1,0\n', 'open.csv', { labelColumn: 'label' })).toThrow(/^open\.csv line \d+: not valid CSV/);
    // "1,5" is one cell and not a number: the message names the decoded cell
    expect(() => parseCsv('a,b,label\n"1,5",2,0\n', 'n.csv', { labelColumn: 'label' })).toThrow("n.csv line 2, column 'a': '1,5' is not a number");
  });

  it('refuses integer labels outside 0..2^31−1 naming the line, instead of wrapping 4294967296 to class 0', () => {
    expect(() => parseCsv('a,label\n1,0\n2,4294967296\n', 'big.csv', { labelColumn: 'label' })).toThrow(/^big\.csv line 3: label 4294967296 is not a class index in 0\.\.2147483647/);
    expect(() => parseCsv('a,label\n1,-1\n2,0\n', 'neg.csv', { labelColumn: 'label' })).toThrow(/line 2: label -1/);
    expect(parseCsv('a,label\n1,2147483647\n', 'max.csv', { labelColumn: 'label' }).numClasses).toBe(2 ** 31);
  });

  it('streams 150,000 rows with integer labels (Math.max(...y) overflowed the stack here) and stops reading at maxRows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vib-csv-big-'));
    const path = join(dir, 'big.csv');
    const rows = ['a,b,label'];
    for (let i = 0; i < 150_000; i++) rows.push(`${i % 7},${(i % 11) / 10},${i % 10}`);
    await writeFile(path, `${rows.join('\n')}\n`);
    const { readCsvFile } = await import('./read-csv-file.js');
    const all = await readCsvFile(path, { labelColumn: 'label' });
    expect(all.rows).toBe(150_000);
    expect(all.numClasses).toBe(10);
    const some = await readCsvFile(path, { labelColumn: 'label', maxRows: 1000 });
    expect(some.rows).toBe(1000);
    expect([...some.x.subarray(2 * 999, 2 * 1000)]).toEqual([999 % 7, Math.fround((999 % 11) / 10)]);
    const limited = await csvDataset.load(csvDataset.configSchema.parse({ path }), { maxTrain: 800, maxTest: 100 });
    expect([limited.train.n, limited.test.n]).toEqual([800, 100]);
    await rm(dir, { recursive: true, force: true });
  });
});
