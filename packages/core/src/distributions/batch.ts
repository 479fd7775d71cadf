import { ShapeError } from '../errors/shape-error.js';
import { formatShape } from './shapes.js';

/**
 * Combine the batch sizes of parameter tensors that share one layout [B, ...]: each is B or 1.
 * @param typeName - the distribution being built, for messages
 * @param params - named shapes of rank ≥ 1 whose first axis is the batch
 * @returns the broadcast batch size B
 * @throws {@link ShapeError} when two batch sizes differ and neither is 1
 */
export function broadcastBatch(typeName: string, params: ReadonlyArray<readonly [string, readonly number[]]>): number {
  let batch = 1;
  for (const [, shape] of params) {
    const b = shape[0] ?? 1;
    if (b !== 1) {
      if (batch !== 1 && batch !== b) {
        const listed = params.map(([n, s]) => `${n} ${formatShape(s)}`).join(', ');
        throw new ShapeError(
          `${typeName}: parameter batch sizes must be equal or 1, got ${listed}; give every parameter the same B`,
          { details: { shapes: params.map(([n, s]) => ({ name: n, shape: [...s] })) } },
        );
      }
      batch = b;
    }
  }
  return batch;
}

/**
 * Check that parameters agree on their trailing (event) axes.
 * @param typeName - the distribution being built
 * @param params - named shapes; every shape's axes after the first must match the first's
 * @throws {@link ShapeError} naming the mismatching parameter
 */
export function expectSameEvent(typeName: string, params: ReadonlyArray<readonly [string, readonly number[]]>): void {
  const [first, ...rest] = params;
  if (first === undefined) return;
  const ref = first[1].slice(1);
  for (const [name, shape] of rest) {
    const tail = shape.slice(1);
    if (tail.length !== ref.length || tail.some((d, i) => d !== ref[i])) {
      throw new ShapeError(
        `${typeName}: ${name} ${formatShape(shape)} must match ${first[0]} ${formatShape(first[1])} after the batch axis`,
        { details: { expected: [null, ...ref], actual: [...shape] } },
      );
    }
  }
}
