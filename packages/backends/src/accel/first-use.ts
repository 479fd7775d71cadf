/**
 * A self-check run once, at the first call that needs it, and remembered: the verdict of the fused Adam, the
 * in-place EMA step and the native normal draws, each of which compares itself with the stock computation before
 * its first real use and stands aside for good after a disagreement.
 * @param check - runs the check; returns what disagreed, or null
 * @param onFailure - told once what disagreed (the caller's one warning)
 * @returns a function that runs the check on its first call and returns whether it passed, then and after
 */
export function firstUseCheck<A extends unknown[]>(check: (...args: A) => string | null, onFailure: (problem: string) => void): (...args: A) => boolean {
  let passed: boolean | undefined;
  return (...args) => {
    if (passed === undefined) {
      const problem = check(...args);
      passed = problem === null;
      if (problem !== null) onFailure(problem);
    }
    return passed;
  };
}
