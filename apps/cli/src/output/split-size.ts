/** Below this many test examples a run's summary adds a note that its test figures are rough. */
export const FEW_TEST_EXAMPLES = 100;

/**
 * A split's size for a summary line.
 * @param n - examples
 * @param split - `test` or `training`
 * @returns e.g. `10,000 test examples`, `1 test example`
 */
export function examples(n: number, split: string): string {
  return `${n.toLocaleString('en-US')} ${split} example${n === 1 ? '' : 's'}`;
}

/**
 * The note for a test split too small to measure on: how coarse its accuracy is and how to hold out more.
 * @param n - test examples (fewer than {@link FEW_TEST_EXAMPLES})
 * @param accuracy - whether the task scores an accuracy (a classifier), whose steps the note then gives
 * @returns the note, without the `vib: note: ` prefix
 * @example
 * ```ts
 * fewTestNote(1); // 'the test split holds only 1 example: an accuracy on it is 0% or 100%, and ...'
 * ```
 */
export function fewTestNote(n: number, accuracy = true): string {
  const steps = !accuracy ? '' : n === 1 ? 'an accuracy on it is 0% or 100%, and ' : `an accuracy on it moves in steps of ${(100 / n).toPrecision(2)} points, and `;
  return `the test split holds only ${examples(n, 'test').replace(/ test/, '')}: ${steps}every test figure is a mean over ${n === 1 ? 'that one' : `those ${n}`}. Hold out more: more data, a larger --max-test, or for a CSV a larger dataset.config.testFraction in a --config file (default 0.2)`;
}
