import { byteCodedSplit, DataError, type DataSplit, type Dataset, type DatasetLoadOptions, type DatasetPlugin } from '@vib/core';
import { z } from 'zod';
import { applyLimits } from '../util/split.js';
import { idxClassCount } from './idx-classes.js';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, type IdxArray } from './parse-idx.js';
import { readIdxFile } from './read-idx-file.js';

/** Config of the `idx` dataset: a directory holding the four MNIST-style IDX files. */
export const idxConfigSchema = z.strictObject({
  /** Directory with train/t10k images and labels, raw or `.gz`. */
  dir: z.string().min(1),
  /** Optional class names, index = label. */
  classNames: z.array(z.string()).optional(),
});

/** Parsed config of the `idx` dataset. */
export type IdxConfig = z.infer<typeof idxConfigSchema>;

/** The file stems accepted for each part (the MNIST site's names and the common dotted variant). */
const STEMS = {
  trainImages: ['train-images-idx3-ubyte', 'train-images.idx3-ubyte'],
  trainLabels: ['train-labels-idx1-ubyte', 'train-labels.idx1-ubyte'],
  testImages: ['t10k-images-idx3-ubyte', 't10k-images.idx3-ubyte'],
  testLabels: ['t10k-labels-idx1-ubyte', 't10k-labels.idx1-ubyte'],
} as const;

async function findFile(dir: string, stems: readonly string[]): Promise<string> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch (e) {
    throw new DataError(`${dir}: cannot read the directory (${(e as Error).message}): pass a directory of IDX files`, { cause: e, details: { file: dir } });
  }
  for (const stem of stems) {
    for (const name of [stem, `${stem}.gz`]) if (entries.includes(name)) return path.join(dir, name);
  }
  throw new DataError(`${dir}: no ${stems[0]} or ${stems[0]}.gz found: put the four MNIST-style IDX files in this directory`, {
    details: { file: dir },
  });
}

/**
 * Check that an image file and a label file make a split: [n, rows, cols] images, n > 0, n labels.
 * @param images - the image file's array
 * @param labels - the label file's array
 * @param imageFile - its path, for messages
 * @param labelFile - its path, for messages
 * @returns the image shape [rows, cols]
 * @throws {@link DataError} naming the file that is wrong
 */
function checkSplit(images: IdxArray, labels: IdxArray, imageFile: string, labelFile: string): readonly [number, number] {
  const [n = 0, rows = 0, cols = 0] = images.dims;
  if (images.dims.length !== 3 || rows === 0 || cols === 0) {
    throw new DataError(`${imageFile}: dimensions [${images.dims.join(', ')}] are not [n, rows, cols]: the file is corrupted`, { details: { file: imageFile } });
  }
  if (n === 0) {
    throw new DataError(`${imageFile}: holds 0 images: the set is empty; put the MNIST-style files with data in this directory`, { details: { file: imageFile } });
  }
  if (labels.dims[0] !== n) {
    throw new DataError(
      `${labelFile}: ${String(labels.dims[0])} labels but ${imageFile} has ${n} images: the files do not belong together; use matching files`,
      { details: { file: labelFile, images: n, labels: labels.dims[0] } },
    );
  }
  return [rows, cols];
}

/** What a pixel byte b means: b / 255, as float32. */
const PIXEL_VALUES = Float32Array.from({ length: 256 }, (_, b) => b / 255);

/**
 * Turn checked image and label arrays into a split, pixels / 255, kept as the file's bytes ({@link byteCodedSplit}:
 * the trainer and the evaluation read them so, and `x` is built only for a reader that asks for it).
 * @param images - the images
 * @param labels - their labels
 * @returns the split
 */
function toSplit(images: IdxArray, labels: IdxArray): DataSplit {
  return byteCodedSplit(images.data, PIXEL_VALUES, Int32Array.from(labels.data), labels.data.length);
}

/**
 * Load a directory of MNIST-style IDX files (Node only).
 * @param config - the directory and optional class names
 * @param options - subset sizes
 * @param name - dataset name to report
 * @returns the dataset, pixels scaled to [0, 1]; C classes: the class names' count, else the largest
 *   training label + 1 (labels checked by `idxClassCount` before anything is converted)
 * @throws {@link DataError} naming the file on missing, truncated, mislabeled or mismatched files, and
 *   the file, index and label of labels that are not classes
 */
export async function loadIdxDirectory(config: IdxConfig, options: DatasetLoadOptions | undefined, name: string): Promise<Dataset> {
  const files = {
    trainImages: await findFile(config.dir, STEMS.trainImages),
    trainLabels: await findFile(config.dir, STEMS.trainLabels),
    testImages: await findFile(config.dir, STEMS.testImages),
    testLabels: await findFile(config.dir, STEMS.testLabels),
  };
  const parts = [
    readIdxFile(files.trainImages, IDX_IMAGES_MAGIC),
    readIdxFile(files.trainLabels, IDX_LABELS_MAGIC),
    readIdxFile(files.testImages, IDX_IMAGES_MAGIC),
    readIdxFile(files.testLabels, IDX_LABELS_MAGIC),
  ];
  // Read in parallel, but report the first bad file in this fixed order (not whichever failed first in time).
  const settled = await Promise.allSettled(parts);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const [trImg, trLab, teImg, teLab] = settled.map((r) => (r as PromiseFulfilledResult<IdxArray>).value) as [IdxArray, IdxArray, IdxArray, IdxArray];
  options?.onProgress?.(0.5);
  const trShape = checkSplit(trImg, trLab, files.trainImages, files.trainLabels);
  const teShape = checkSplit(teImg, teLab, files.testImages, files.testLabels);
  if (trShape[0] !== teShape[0] || trShape[1] !== teShape[1]) {
    throw new DataError(`${files.testImages}: images are ${teShape.join('×')} but training images are ${trShape.join('×')}: use matching files`, {
      details: { file: files.testImages },
    });
  }
  const numClasses = idxClassCount({ file: files.trainLabels, labels: trLab.data }, { file: files.testLabels, labels: teLab.data }, config.classNames);
  const limited = applyLimits(toSplit(trImg, trLab), toSplit(teImg, teLab), trShape[0] * trShape[1], options);
  options?.onProgress?.(1);
  return {
    name,
    inputShape: [trShape[0], trShape[1]],
    numClasses,
    ...(config.classNames ? { classNames: config.classNames } : {}),
    inputsInUnitInterval: true,
    preprocessing: 'uint8 pixels / 255',
    train: limited.train,
    test: limited.test,
  };
}

/** Dataset plugin `idx`: MNIST-format IDX files (raw or gzipped) from a directory; Node only. */
export const idxDataset: DatasetPlugin<IdxConfig> = {
  name: 'idx',
  description: 'MNIST-format IDX files (train/t10k images and labels, raw or .gz) from a directory',
  configSchema: idxConfigSchema,
  environments: ['node'],
  load: (config, options) => loadIdxDirectory(config, options, config.dir),
};
