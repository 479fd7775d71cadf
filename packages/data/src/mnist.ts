export {
  mnistDataset,
  mnistConfigSchema,
  EMBEDDED_MNIST_SIZE,
  EMBEDDED_MNIST_TRAIN,
  EMBEDDED_MNIST_SPLIT_SEED,
  EMBEDDED_MNIST_INFO,
  EMBEDDED_MNIST_PIXEL_VALUES,
  embeddedMnistSplits,
  embeddedMnistByteSplits,
} from './mnist/mnist-dataset.js';
export { registerMnistDataset } from './mnist/register-mnist.js';
