// The `@vib/tasks/model-json` entry: the checks a saved model's model.json gets before anything it names is read,
// for a tool that serves or inspects model folders without running a model (`vib serve`). It imports neither
// TensorFlow.js nor zod: its errors come from `@vib/core/errors`, and TensorFlow.js's types only as types.
export {
  checkModelJson,
  MAX_MODEL_JSON_BYTES,
  MAX_MODEL_WEIGHT_BYTES,
  type CheckedModelJson,
  type CheckedWeightGroup,
} from './io/check-model-json.js';
