import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError } from '@vib/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idxDataset } from './idx-dataset.js';
import { encodeIdx, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdx } from './parse-idx.js';
import { readIdxFile } from './read-idx-file.js';

let dir: string;
const images = (n: number, seed: number) => Uint8Array.from({ length: n * 4 * 3 }, (_, i) => (i * 37 + seed) % 256);
const labels = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 3);

async function writeSet(
  sub: string,
  gz: boolean,
  opts: { trainLabels?: number; swap?: boolean; truncate?: number; trainY?: Uint8Array; testY?: Uint8Array } = {},
) {
  const d = join(dir, sub);
  await (await import('node:fs/promises')).mkdir(d);
  const z = (b: Uint8Array) => (gz ? gzipSync(b) : b);
  const ext = gz ? '.gz' : '';
  let trImg = encodeIdx([5, 4, 3], images(5, 1));
  if (opts.truncate) trImg = trImg.subarray(0, trImg.length - opts.truncate);
  const trLab = encodeIdx([opts.trainLabels ?? 5], opts.trainY ?? labels(opts.trainLabels ?? 5));
  await writeFile(join(d, `train-images-idx3-ubyte${ext}`), z(opts.swap ? trLab : trImg));
  await writeFile(join(d, `train-labels-idx1-ubyte${ext}`), z(opts.swap ? trImg : trLab));
  await writeFile(join(d, `t10k-images-idx3-ubyte${ext}`), z(encodeIdx([2, 4, 3], images(2, 9))));
  await writeFile(join(d, `t10k-labels-idx1-ubyte${ext}`), z(encodeIdx([2], opts.testY ?? labels(2))));
  return d;
}

async function dataError(p: Promise<unknown>): Promise<DataError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vib-idx-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('parseIdx', () => {
  it('round-trips encodeIdx and checks the magic number', () => {
    const data = images(5, 3);
    const bytes = encodeIdx([5, 4, 3], data);
    expect(new DataView(bytes.buffer).getUint32(0)).toBe(IDX_IMAGES_MAGIC);
    const parsed = parseIdx(bytes, 'a', IDX_IMAGES_MAGIC);
    expect(parsed.dims).toEqual([5, 4, 3]);
    expect([...parsed.data]).toEqual([...data]);
    expect(() => parseIdx(bytes, 'a', IDX_LABELS_MAGIC)).toThrow(/magic number 0x00000803 is not 0x00000801/);
  });
  it('refuses truncated files and trailing bytes with the byte counts', () => {
    const bytes = encodeIdx([5], labels(5));
    expect(() => parseIdx(bytes.subarray(0, 12), 'lab', IDX_LABELS_MAGIC)).toThrow(/lab: header says \[5\] \(13 bytes\) but the file has 12 bytes: the file is truncated/);
    expect(() => parseIdx(bytes.subarray(0, 6), 'lab', IDX_LABELS_MAGIC)).toThrow(/shorter than the 8-byte header/);
    const longer = new Uint8Array(14);
    longer.set(bytes);
    expect(() => parseIdx(longer, 'lab', IDX_LABELS_MAGIC)).toThrow(/1 extra/);
  });
});

describe('idx dataset', () => {
  for (const gz of [false, true]) {
    it(`loads a directory of ${gz ? 'gzipped' : 'raw'} files, pixels / 255`, async () => {
      const d = await writeSet(gz ? 'gz' : 'raw', gz);
      const data = await idxDataset.load({ dir: d });
      expect(data.inputShape).toEqual([4, 3]);
      expect(data.train.n).toBe(5);
      expect(data.test.n).toBe(2);
      expect(data.numClasses).toBe(3);
      expect([...data.train.y]).toEqual([0, 1, 2, 0, 1]);
      const expected = images(5, 1);
      // held as the file's bytes (a quarter of float32's memory) until something reads x
      expect(Array.from(data.train.coded?.codes ?? [])).toEqual(Array.from(expected));
      expect(data.test.coded).toBeDefined();
      // x: the float32 of byte / 255, to the bit
      expect(data.train.x).toEqual(Float32Array.from(expected, (b) => b / 255));
      const limited = await idxDataset.load({ dir: d }, { maxTrain: 2 });
      expect(limited.train.n).toBe(2);
      expect(limited.train.coded?.codes.length).toBe(2 * 12);
      expect(limited.train.x.length).toBe(2 * 12);
    });
  }
  it('names the file of a truncated image file (raw and gz)', async () => {
    const raw = await writeSet('trunc', false, { truncate: 7 });
    const e1 = await dataError(idxDataset.load({ dir: raw }));
    expect(e1.message).toContain(join(raw, 'train-images-idx3-ubyte'));
    expect(e1.message).toMatch(/truncated/);
    const gzDir = await writeSet('truncgz', true);
    const file = join(gzDir, 'train-images-idx3-ubyte.gz');
    const full = await (await import('node:fs/promises')).readFile(file);
    await writeFile(file, full.subarray(0, full.length - 10));
    const e2 = await dataError(idxDataset.load({ dir: gzDir }));
    expect(e2.message).toMatch(/train-images-idx3-ubyte\.gz: not a complete gzip file/);
  });
  it('refuses swapped (mislabeled) files by magic number', async () => {
    const d = await writeSet('swap', false, { swap: true });
    const e = await dataError(idxDataset.load({ dir: d }));
    expect(e.message).toMatch(/train-images-idx3-ubyte: magic number 0x00000801 is not 0x00000803/);
  });
  it('refuses an image/label count mismatch', async () => {
    const d = await writeSet('count', false, { trainLabels: 4 });
    const e = await dataError(idxDataset.load({ dir: d }));
    expect(e.message).toMatch(/train-labels-idx1-ubyte: 4 labels but .*train-images-idx3-ubyte has 5 images/);
  });
  it('refuses a missing directory', async () => {
    const e = await dataError(idxDataset.load({ dir: join(dir, 'nope') }));
    expect(e.message).toMatch(/cannot read the directory/);
  });
});

describe('hostile IDX files', () => {
  const header = (magic: number, dims: number[]) => {
    const b = new Uint8Array(4 + 4 * dims.length);
    const v = new DataView(b.buffer);
    v.setUint32(0, magic, false);
    dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
    return b;
  };
  const file = async (name: string, bytes: Uint8Array) => {
    const p = join(dir, name);
    await writeFile(p, bytes);
    return p;
  };

  it('refuses a raw header declaring more than the limit or than the file holds, before allocating', async () => {
    const huge = await file('huge-idx3-ubyte', Uint8Array.from([...header(IDX_IMAGES_MAGIC, [4294967295, 28, 28]), 1, 2, 3]));
    expect((await dataError(readIdxFile(huge, IDX_IMAGES_MAGIC))).message).toMatch(/header says \[4294967295, 28, 28\] \(.* bytes\) but the limit is 1073741824 bytes/);
    const short = await file('short-idx1-ubyte', Uint8Array.from([...header(IDX_LABELS_MAGIC, [1000]), 1, 2, 3]));
    expect((await dataError(readIdxFile(short, IDX_LABELS_MAGIC))).message).toMatch(/header says \[1000\] \(1008 bytes\) but the file has 11 bytes: the file is truncated/);
  });

  it('stops a gzip bomb at the declared size, and refuses a declared size no gzip of that length can hold', async () => {
    // a lying header: 16 labels declared, 4 MB of zeros behind it (a 4 KB gzip)
    const bomb = await file('bomb-idx1-ubyte.gz', gzipSync(Uint8Array.from([...header(IDX_LABELS_MAGIC, [16]), ...new Uint8Array(4 << 20)])));
    expect((await dataError(readIdxFile(bomb, IDX_LABELS_MAGIC))).message).toMatch(/header says \[16\] \(24 bytes\) but it decompresses to more/);
    // an honest header but larger than the caller allows (the bomb made small: 1 MB against a 64 KB limit)
    const big = await file('big-idx1-ubyte.gz', gzipSync(Uint8Array.from([...header(IDX_LABELS_MAGIC, [1 << 20]), ...new Uint8Array(1 << 20)])));
    expect((await dataError(readIdxFile(big, IDX_LABELS_MAGIC, { maxBytes: 65536 }))).message).toMatch(/but the limit is 65536 bytes/);
    // 100 MB declared in a gzip of a few dozen bytes
    const liar = await file('liar-idx1-ubyte.gz', gzipSync(header(IDX_LABELS_MAGIC, [100_000_000])));
    expect((await dataError(readIdxFile(liar, IDX_LABELS_MAGIC))).message).toMatch(/gzip cannot hold that many/);
  });

  it('refuses an empty set (0 images) naming the file', async () => {
    const d = join(dir, 'empty-set');
    await (await import('node:fs/promises')).mkdir(d);
    await writeFile(join(d, 'train-images-idx3-ubyte'), encodeIdx([0, 4, 3], new Uint8Array(0)));
    await writeFile(join(d, 'train-labels-idx1-ubyte'), encodeIdx([0], new Uint8Array(0)));
    await writeFile(join(d, 't10k-images-idx3-ubyte'), encodeIdx([0, 4, 3], new Uint8Array(0)));
    await writeFile(join(d, 't10k-labels-idx1-ubyte'), encodeIdx([0], new Uint8Array(0)));
    const e = await dataError(idxDataset.load({ dir: d }));
    expect(e.message).toBe(`${join(d, 'train-images-idx3-ubyte')}: holds 0 images: the set is empty; put the MNIST-style files with data in this directory`);
  });
});

describe('IDX sets the tester fed the CLI', () => {
  it('refuses training labels that leave most classes empty (0 and 255 built a 256-class model)', async () => {
    const d = await writeSet('mask', false, { trainY: Uint8Array.of(0, 255, 0, 255, 0), testY: Uint8Array.of(0, 255) });
    const e = await dataError(idxDataset.load({ dir: d }));
    expect(e.message).toBe(
      `${join(d, 'train-labels-idx1-ubyte')} index 1: label 255 would make 256 classes (0..255) but only 2 of them have an example: the labels look like values, not class indices; use a label file whose classes are numbered 0, 1, 2, …`,
    );
    expect(e.details).toMatchObject({ index: 1, label: '255', numClasses: 256, classesWithExamples: 2 });
  });

  it('refuses a test label outside the training classes (one label 200 made 201 classes), naming its index', async () => {
    const d = await writeSet('stray', true, { testY: Uint8Array.of(1, 200) });
    const e = await dataError(idxDataset.load({ dir: d }));
    expect(e.message).toBe(
      `${join(d, 't10k-labels-idx1-ubyte.gz')} index 1: label 200 is not one of the training classes 0..2: ${join(d, 'train-labels-idx1-ubyte.gz')} has no label above 2; use test files that belong with the training files`,
    );
  });

  it('refuses a label the class names do not cover', async () => {
    const d = await writeSet('named', false, { testY: Uint8Array.of(0, 3) });
    const e = await dataError(idxDataset.load({ dir: d, classNames: ['a', 'b', 'c'] }));
    expect(e.message).toBe(
      `${join(d, 't10k-labels-idx1-ubyte')} index 1: label 3 is not one of the 3 classes the class names cover, 0..2: use the label files that go with these class names`,
    );
    const ok = await writeSet('named-ok', false);
    expect((await idxDataset.load({ dir: ok, classNames: ['a', 'b', 'c', 'd'] })).numClasses).toBe(4);
  });

  it('refuses an IDX path that is a directory naming it (was a bare EISDIR)', async () => {
    const d = join(dir, 'dir-as-file');
    await mkdir(d);
    await mkdir(join(d, 'train-images-idx3-ubyte'));
    await writeFile(join(d, 'train-labels-idx1-ubyte'), encodeIdx([5], labels(5)));
    await writeFile(join(d, 't10k-images-idx3-ubyte'), encodeIdx([2, 4, 3], images(2, 9)));
    await writeFile(join(d, 't10k-labels-idx1-ubyte'), encodeIdx([2], labels(2)));
    const e = await dataError(idxDataset.load({ dir: d }));
    expect(e.message).toBe(`${join(d, 'train-images-idx3-ubyte')}: is a directory; expected an IDX file: put the IDX file itself at this path`);
    await mkdir(join(dir, 'gz-dir-idx1-ubyte.gz'));
    expect((await dataError(readIdxFile(join(dir, 'gz-dir-idx1-ubyte.gz'), IDX_LABELS_MAGIC))).message).toMatch(/gz-dir-idx1-ubyte\.gz: is a directory; expected an IDX file/);
  });

  it('says what a user can do about a header past the size limit, without a flag that does not exist', async () => {
    const b = new Uint8Array(16);
    const v = new DataView(b.buffer);
    v.setUint32(0, IDX_IMAGES_MAGIC, false);
    [100_000, 100_000, 100].forEach((dim, i) => v.setUint32(4 + 4 * i, dim, false));
    const p = join(dir, 'declares-1e12-idx3-ubyte');
    await writeFile(p, b);
    const e = await dataError(readIdxFile(p, IDX_IMAGES_MAGIC));
    expect(e.message).toBe(
      `${p}: header says [100000, 100000, 100] (1000000000016 bytes) but the limit is 1073741824 bytes: the file is likely corrupt or not an IDX file; check it, or download it again (programs calling readIdxFile can raise the limit with its maxBytes option)`,
    );
  });
});
