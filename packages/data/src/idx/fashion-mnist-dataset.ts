import type { DatasetPlugin } from '@vib/core';
import { z } from 'zod';
import { loadIdxDirectory } from './idx-dataset.js';

/** Where the Debian package `dataset-fashion-mnist` installs the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Class names of Fashion-MNIST (Xiao, Rasul & Vollgraf 2017), index = label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

/** Config of `fashion-mnist`: the directory, defaulting to {@link FASHION_MNIST_DIR}. */
export const fashionMnistConfigSchema = z.strictObject({ dir: z.string().min(1).default(FASHION_MNIST_DIR) });

/** Dataset plugin `fashion-mnist`: 60,000/10,000 28×28 clothing images (IDX files); Node only. */
export const fashionMnistDataset: DatasetPlugin<z.infer<typeof fashionMnistConfigSchema>> = {
  name: 'fashion-mnist',
  description: `Fashion-MNIST (Xiao et al. 2017), 60,000/10,000 28x28 images, from ${FASHION_MNIST_DIR}`,
  configSchema: fashionMnistConfigSchema,
  environments: ['node'],
  load: (config, options) =>
    loadIdxDirectory({ dir: config.dir, classNames: [...FASHION_MNIST_CLASSES] }, options, 'fashion-mnist'),
};
