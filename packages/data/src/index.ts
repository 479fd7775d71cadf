export { registerDatasets, datasetPlugins } from './register.js';
export {
  tishby12BitDataset,
  tishbyConfigSchema,
  tishbyPatterns,
  tishbyScore,
  icosahedronVertices,
  TISHBY_BITS,
  TISHBY_TRAIN,
  TISHBY_SPLIT_SEED,
  TISHBY_THRESHOLD,
} from './synthetic/tishby-12bit.js';
export { idxDataset, idxConfigSchema, loadIdxDirectory, type IdxConfig } from './idx/idx-dataset.js';
export { fashionMnistDataset, fashionMnistConfigSchema, FASHION_MNIST_DIR, FASHION_MNIST_CLASSES } from './idx/fashion-mnist-dataset.js';
export { parseIdx, encodeIdx, readIdxHeader, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, type IdxArray, type IdxHeader } from './idx/parse-idx.js';
export { readIdxFile, MAX_IDX_BYTES } from './idx/read-idx-file.js';
export { csvDataset, csvConfigSchema, type CsvConfig } from './csv/csv-dataset.js';
export { parseCsv, encodeLabels, type CsvTable, type ParseCsvOptions } from './csv/parse-csv.js';
export { csvSyntaxError } from './csv/csv-syntax-error.js';
export { readCsvFile } from './csv/read-csv-file.js';
export { CsvTableBuilder } from './csv/csv-table-builder.js';
export { LabelEncoder, MAX_LABEL } from './csv/label-encoder.js';
export { isDecimalNumber, DECIMAL_NUMBER } from './csv/decimal-number.js';
export { MAX_CLASSES, EMPTY_CLASSES_TOLERATED } from './util/class-count.js';
export { mulberry32, seededPermutation } from '@vib/core';
export { mnistStyleDigit } from './image/mnist-style.js';
