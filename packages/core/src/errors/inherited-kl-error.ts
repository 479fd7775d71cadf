import { VibError, type VibErrorOptions } from './vib-error.js';

/**
 * Thrown when a distribution reaches a KL rule registered for a class it extends, but defines its own density
 * (`logProb`, `logProbPerDim` or `sample`), and that rule's value disagrees with a Monte Carlo estimate from the
 * distribution's own methods: the inherited closed form is for the parent's density, not this one.
 */
export class InheritedKLError extends VibError {
  /** Always `'InheritedKLError'`: a stable name that survives minification (unlike `constructor.name`). */
  override readonly name = 'InheritedKLError';
  /**
   * @param message - what was wrong and what to do
   * @param options - cause and structured details
   */
  constructor(message: string, options: VibErrorOptions = {}) {
    super('E_INHERITED_KL', message, options);
  }
}
