export { ScaledNormal } from './scaled-normal.js';
export { diagonalGaussianScaledNormalKL } from './scaled-normal-kl.js';
export { scaledNormalPrior, scaledNormalConfigSchema, type ScaledNormalConfig } from './scaled-normal-prior.js';
export { csvRegressionDataset, csvRegressionConfigSchema, type CsvRegressionConfig } from './csv-regression-dataset.js';
export { regressionTask, regressionConfigSchema, type RegressionConfig } from './regression-task.js';
export { gaussianMIEstimator, gaussianMIConfigSchema, type GaussianMIConfig } from './gaussian-mi-estimator.js';
export { registerRegressionExample } from './register-regression-example.js';
