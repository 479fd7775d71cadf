export type {
  Task,
  TaskContext,
  TaskPlugin,
  TaskScores,
  ScoreContext,
  TaskEpochInput,
  TaskEpochFigures,
  TaskView,
} from './tasks/task-plugin.js';
export { classificationTask, classificationConfigSchema, type ClassificationConfig } from './tasks/classification.js';
export { reconstructionTask, reconstructionConfigSchema, type ReconstructionConfig } from './tasks/reconstruction.js';
export { registerTasks } from './register.js';
export {
  experimentConfigSchema,
  subsetSchema,
  scheduleSchema,
  earlyStoppingSchema,
  encoderSchema,
  optimizerSchema,
  type ExperimentConfig,
  type ExperimentConfigInput,
} from './config/experiment-config.js';
export { parseExperimentConfig } from './config/parse-experiment-config.js';
export { activationSchema, hiddenSizesSchema } from './config/activation.js';
export { MAX_LATENT_DIM, MAX_LAYER_WIDTH } from './limits.js';
export type { VibModel } from './model/vib-model.js';
export { buildVibModel, type ModelShapes, type ModelRunContext } from './model/build-vib-model.js';
export { forward, hidden, decode, type ForwardResult } from './model/forward.js';
export { saveVibModel, loadVibModel, type VibModelMetadata } from './model/save-load.js';
export { sampleFromPrior, interpolateCodes, interpolateInputs, decodePrediction } from './model/generate.js';
export { checkedHttpIO, type CheckedHttpIOOptions } from './io/http-io.js';
export { guardedIO } from './io/guarded-io.js';
export { checkedBrowserFiles, type NamedBlob } from './io/browser-files-io.js';
export {
  checkModelJson,
  checkWeightPath,
  MAX_MODEL_WEIGHT_BYTES,
  MAX_MODEL_JSON_BYTES,
  type CheckedModelJson,
  type CheckedWeightGroup,
} from './io/check-model-json.js';
export { evaluate, type EvaluateOptions, type EvaluationResult, type PredictionScores } from './evaluate/evaluate.js';
export { averageLogProbs } from './evaluate/average-log-probs.js';
export { checkDataFitsModel, type DataFitNames } from './evaluate/check-data-fits.js';
export { train } from './train/train.js';
export { createTrainer } from './train/create-trainer.js';
export type { Trainer, TrainerOptions, EpochOptions, EpochOutcome, PluginRef, CheckpointOptions } from './train/trainer-types.js';
export type {
  BatchInfo,
  EpochSoFar,
  StopReason,
  TrainCallbacks,
  TrainControl,
  TrainOptions,
  TrainResult,
} from './train/train-types.js';
export type { TrainCheckpoint, EpochProgress } from './train/checkpoint.js';
export type { BatchControl } from './train/train-types.js';
export { configDiff } from './train/config-diff.js';
export { dataFingerprint, type DataFingerprint } from './train/data-fingerprint.js';
export type { SerializedTensor, TensorValues, TypedTensorValues, ValuesForm } from './train/serialized-tensor.js';
export type { EpochMetrics } from './train/epoch-metrics.js';
export { learningRateAt } from './train/learning-rate.js';
export { SeededRandom, stepSeed } from '@vib/core';
export { latentCodes, latentCodesAsync, type LatentCodes } from './analysis/latent-codes.js';
export { layerActivations, layerActivationsAsync, type LayerActivations } from './analysis/layer-activations.js';
export {
  CHI2_2DOF_95,
  covarianceEllipse,
  diagonalEllipse,
  ellipsePoint,
  ellipsePolygon,
  type Ellipse,
} from './analysis/ellipse.js';
export { predictiveLogProbs, pickedNll, pickedMargin, type PredictiveOptions, type PredictivePath } from './evaluate/predictive.js';
export { robustness, type AttackObjective, type RobustnessOptions, type RobustnessPoint, type RobustnessResult } from './evaluate/robustness.js';
export { uncertaintyScores, type UncertaintyOptions, type UncertaintyScores } from './evaluate/uncertainty-scores.js';
export { importanceWeightedEvaluation, type ImportanceWeightedResult } from './evaluate/importance-weighted-evaluation.js';
