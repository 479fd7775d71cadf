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
    expect(t.labels).toEqual(['0', '1']);
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
