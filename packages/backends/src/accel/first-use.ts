/** Where a first-use check stands. */
export type FirstUseVerdict = 'unchecked' | 'passed' | 'failed';

/** A first-use check: call it where the checked code is about to run; `verdict` reads where it stands without running it. */
export interface FirstUseCheck<A extends unknown[]> {
  (...args: A): boolean;
  readonly verdict: FirstUseVerdict;
}

/**
 * A self-check run once, at the first call that needs it, and remembered: the verdict of the fused Adam, the
 * in-place EMA step, the native normal draws and the pure GEMM's kept packings, each of which compares itself with
 * the stock computation before its first real use and stands aside for good after a disagreement.
 * @param check - runs the check; returns what disagreed, or null
 * @param onFailure - told once what disagreed (the caller's one warning)
 * @returns a function that runs the check on its first call and returns whether it passed, then and after
 */
export function firstUseCheck<A extends unknown[]>(check: (...args: A) => string | null, onFailure: (problem: string) => void): FirstUseCheck<A> {
  let passed: boolean | undefined;
  const run = (...args: A): boolean => {
    if (passed === undefined) {
      const problem = check(...args);
      passed = problem === null;
      if (problem !== null) onFailure(problem);
    }
    return passed;
  };
  return Object.defineProperty(run, 'verdict', { get: (): FirstUseVerdict => (passed === undefined ? 'unchecked' : passed ? 'passed' : 'failed') }) as FirstUseCheck<A>;
}

/** A first-use check that compares a product with a reference computation, armed afresh by each install of a tier. */
export interface ComparisonCheck {
  /** Arm it afresh (unchecked again), telling `warn` of a disagreement. */
  arm(warn: (message: string) => void): void;
  /** Where it stands. */
  readonly verdict: FirstUseVerdict;
  /** Run it with `compare` (what disagreed, or null), if it has not run since it was armed; returns whether it passed. */
  run(compare: () => string | null): boolean;
}

/**
 * A {@link ComparisonCheck}: the kept packings' and the sparse GEMM's self-checks.
 * @param onFailure - what a disagreement does, given what disagreed and the warn function it was armed with
 * @returns the check, armed with console.warn until an install arms it
 */
export function comparisonCheck(onFailure: (problem: string, warn: (message: string) => void) => void): ComparisonCheck {
  const make = (warn: (message: string) => void): FirstUseCheck<[compare: () => string | null]> =>
    firstUseCheck((compare) => compare(), (problem) => onFailure(problem, warn));
  let check = make(console.warn);
  return {
    arm: (warn) => void (check = make(warn)),
    get verdict() {
      return check.verdict;
    },
    run: (compare) => check(compare),
  };
}
