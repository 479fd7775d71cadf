import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '@vib/core';
import { describe, expect, it } from 'vitest';
import { csvDataset } from './csv-dataset.js';
import { encodeLabels, parseCsv } from './parse-csv.js';
import { readCsvFile } from './read-csv-file.js';

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

  it('refuses integer labels beyond the class limit or negative, naming the line, instead of wrapping 4294967296 to class 0', () => {
    expect(() => parseCsv('a,label\n1,0\n2,4294967296\n', 'big.csv', { labelColumn: 'label' })).toThrow(/^big\.csv line 3: label 4294967296 would make 4294967297 classes, more than the 1000 allowed/);
    expect(() => parseCsv('a,label\n1,-1\n2,0\n', 'neg.csv', { labelColumn: 'label' })).toThrow(/line 2: label -1/);
    // 2^31 − 1 made a model of 2^31 classes and died allocating it ("Invalid typed array length")
    expect(() => parseCsv('a,label\n1,2147483647\n', 'max.csv', { labelColumn: 'label' })).toThrow(/^max\.csv line 2: label 2147483647 would make 2147483648 classes/);
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

describe('CSV the tester fed the CLI', () => {
  const csv = (text: string, options: { maxClasses?: number } = {}) => () => parseCsv(text, 'h.csv', { labelColumn: 'label', ...options });
  const message = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(DataError);
      return (e as Error).message;
    }
    throw new Error('expected a DataError');
  };

  it('refuses a header with the label column and no feature column (it trained on input shape [0])', () => {
    expect(message(csv('label\n0\n1\n'))).toBe(
      "h.csv: the header has the label column 'label' and no feature column: a dataset needs at least one; add the numeric feature columns",
    );
  });

  it('refuses a column named twice, naming it and both positions', () => {
    expect(message(csv('a,a,label\n1,2,0\n'))).toBe("h.csv: column 'a' appears twice in the header (columns 1 and 2): give every column its own name");
    expect(message(csv('label,x,label\n0,1,0\n'))).toMatch(/^h\.csv: column 'label' appears twice in the header \(columns 1 and 3\)/);
  });

  it('reads only decimal numbers: 0x10, 0b11 and 0o7 are refused naming line and column, 1e-3 and .5 are read', () => {
    expect(message(csv('a,b,label\n1,2,0\n3,0x10,1\n'))).toBe(
      "h.csv line 3, column 'b': '0x10' is not a decimal number (hex, binary, octal and other forms are not read): write it as 16",
    );
    expect(message(csv('a,label\n0b11,0\n'))).toMatch(/^h\.csv line 2, column 'a': '0b11' is not a decimal number/);
    expect(message(csv('a,label\n0o7,0\n'))).toMatch(/^h\.csv line 2, column 'a': '0o7' is not a decimal number/);
    expect(message(csv('a,label\nInfinity,0\n'))).toMatch(/'Infinity' is not a number/);
    const t = parseCsv('a,b,c,d,label\n1e-3,.5,5.,+2E+02,0\n', 'ok.csv', { labelColumn: 'label' });
    expect([...t.x]).toEqual([Math.fround(1e-3), 0.5, 5, 200]);
  });

  it('refuses a value float32 cannot hold (1e39 became Infinity and later "loss became NaN"), naming line and column', () => {
    expect(message(csv('a,b,label\n1,2,0\n3,1e39,1\n'))).toBe(
      "h.csv line 3, column 'b': 1e39 is beyond the float32 range (±3.4e38), where features are kept: rescale the column",
    );
    expect(message(csv('a,label\n-1e39,0\n'))).toMatch(/^h\.csv line 2, column 'a': -1e39 is beyond the float32 range/);
    expect(parseCsv('a,label\n3e38,0\n', 'ok.csv', { labelColumn: 'label' }).x[0]).toBe(Math.fround(3e38));
  });

  it('refuses a fractional label instead of turning every label into a class name', () => {
    expect(message(csv('a,label\n1,0\n2,1.5\n3,1\n'))).toBe(
      "h.csv line 3: label '1.5' is not a whole number: numeric labels are class indices 0, 1, 2, …; renumber the classes 0, 1, 2, …, or write them as names",
    );
    // a whole number written with a point is that class
    const t = parseCsv('a,label\n1,0\n2,1.0\n3,1\n', 'ok.csv', { labelColumn: 'label' });
    expect([t.numClasses, [...t.y], t.classNames]).toEqual([2, [0, 1, 1], undefined]);
  });

  it('refuses labels making more classes than maxClasses (default 1000): 100000 made 100001 classes', () => {
    expect(message(csv('a,label\n1,0\n2,1\n3,100000\n'))).toBe(
      "h.csv line 4: label 100000 would make 100001 classes, more than the 1000 allowed: numeric labels are class indices 0..999; renumber the classes 0, 1, 2, …, or write them as names (for more classes, set maxClasses in the dataset's config)",
    );
    expect(message(csv('a,label\n1,0\n2,1\n3,2\n', { maxClasses: 2 }))).toMatch(/^h\.csv line 4: label 2 would make 3 classes, more than the 2 allowed/);
    const many = ['a,label', ...Array.from({ length: 1201 }, (_, i) => `${i},${i}`)].join('\n');
    expect(parseCsv(many, 'many.csv', { labelColumn: 'label', maxClasses: 2000 }).numClasses).toBe(1201);
    expect(message(() => encodeLabels(['x', 'y', 'z'], 'names', { maxClasses: 2 }))).toMatch(
      /^names line 3: label 'z' makes more distinct class names than the 2 classes allowed: check that the label column holds classes, not ids/,
    );
  });

  it('refuses labels that leave most classes empty (0 and 255 are a mask, not 256 classes) but keeps a small set such as 10..12', () => {
    expect(message(csv('a,label\n1,0\n2,255\n3,0\n'))).toBe(
      "h.csv line 3: label 255 would make 256 classes (0..255) but only 2 of them have an example: the labels look like values, not class indices; renumber the classes 0, 1, 2, …, or write them as names",
    );
    expect(message(csv(['a,label', ...Array.from({ length: 10 }, (_, i) => `${i},${i}`), '1,50'].join('\n')))).toMatch(/line 12: label 50 would make 51 classes \(0\.\.50\) but only 11 of them/);
    // a subset of a small problem's classes (e.g. to evaluate a 13-class model) still loads
    expect(parseCsv('a,label\n1,10\n2,11\n3,12\n', 'ok.csv', { labelColumn: 'label' }).numClasses).toBe(13);
    // names are still names, sorted
    expect(parseCsv('a,label\n1,dog\n2,cat\n', 'ok.csv', { labelColumn: 'label' }).classNames).toEqual(['cat', 'dog']);
  });

  it('the csv dataset passes maxClasses on and refuses a bad file before splitting; a directory is named as such', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vib-csv-hostile-'));
    try {
      const path = join(dir, 'h.csv');
      await writeFile(path, ['a,label', ...Array.from({ length: 10 }, (_, i) => `${i},${i % 3}`)].join('\n'));
      expect((await csvDataset.load(csvDataset.configSchema.parse({ path }))).numClasses).toBe(3);
      await expect(csvDataset.load(csvDataset.configSchema.parse({ path, maxClasses: 2 }))).rejects.toThrow(/line 4: label 2 would make 3 classes, more than the 2 allowed/);
      await writeFile(path, 'label\n0\n1\n0\n');
      await expect(csvDataset.load(csvDataset.configSchema.parse({ path }))).rejects.toThrow(`${path}: the header has the label column 'label' and no feature column`);
      const folder = join(dir, 'folder.csv');
      await mkdir(folder);
      await expect(readCsvFile(folder, { labelColumn: 'label' })).rejects.toThrow(`${folder}: is a directory; expected a CSV file: pass the path of the .csv file`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
