import { usageError } from '../util/cli-error.js';
import type { GridAxis } from './grid.js';
import type { SweepFlags } from './sweep-plan.js';

/** The config keys each experiment flag sets, with how to show the flag when it was given (else undefined). */
function flagKeys(flags: SweepFlags): [shown: string | undefined, keys: readonly string[]][] {
  const shown = (flag: string, value: string | undefined) => (value === undefined ? undefined : `${flag} ${value}`);
  return [
    [shown('--beta', flags.beta), ['beta', 'controller']],
    [shown('--seed', flags.seed), ['seed']],
    [shown('--seeds', flags.seeds), ['seed']],
    [shown('--epochs', flags.epochs), ['epochs']],
    [shown('--batch-size', flags.batchSize), ['batchSize']],
    [shown('--latent-dim', flags.latentDim), ['latentDim']],
    [shown('--prior', flags.prior), ['prior']],
    [shown('--task', flags.task), ['task']],
    [shown('--data', flags.data), ['dataset']],
    [shown('--hidden', flags.hidden), ['encoder.hidden']],
    [shown('--activation', flags.activation), ['encoder.activation']],
    [shown('--lr', flags.lr), ['optimizer.learningRate']],
    [shown('--adam-beta1', flags.adamBeta1), ['optimizer.beta1']],
    [shown('--adam-beta2', flags.adamBeta2), ['optimizer.beta2']],
    [shown('--adam-epsilon', flags.adamEpsilon), ['optimizer.epsilon']],
    [flags.deterministic === true ? '--deterministic' : undefined, ['model']],
    [flags.ema === false ? '--no-ema' : undefined, ['optimizer.ema']],
  ];
}

/** One `--grid` value that sets every value of an axis: `key=v1,v2`, or a JSON array when a value needs one. */
function axisText(key: string, values: readonly unknown[]): string {
  // a string is written bare only when `--grid` reads it back as the same string
  const bare = (v: string) => v !== '' && v.trim() === v && !/^[[{"]|,/.test(v) && v !== 'true' && v !== 'false' && !Number.isFinite(Number(v));
  const plain = values.every((v) => typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && bare(v)));
  return `${key}=${plain ? values.map(String).join(',') : JSON.stringify(values)}`;
}

/** Whether setting one dotted key overwrites (part of) the other: equal, or one inside the other. */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/**
 * Refuse sweep flags of which one would silently win over another: `--beta` beside the β axis
 * (`--betas`, `--beta-range`, `--grid beta=`), `--seed` beside `--seeds`, two `--grid` axes on the same key, and
 * a `--grid` axis on a key an experiment flag also sets (`--latent-dim 8 --grid latentDim=4,16`).
 * @param flags - the sweep's flags
 * @param grids - the parsed `--grid` axes, in the order of `flags.grid`
 * @throws {@link CliError} (exit code 2) naming both flags
 * @example
 * ```ts
 * checkSweepConflicts({ grid: ['latentDim=4', 'latentDim=8'] }, [{ key: 'latentDim', values: [4] }, { key: 'latentDim', values: [8] }]);
 * // throws: --grid latentDim=4 and --grid latentDim=8 both set latentDim: ...
 * ```
 */
export function checkSweepConflicts(flags: SweepFlags, grids: readonly GridAxis[]): void {
  const texts = flags.grid ?? [];
  const betaAxis = flags.betas !== undefined ? `--betas ${flags.betas}` : flags.betaRange !== undefined ? `--beta-range ${flags.betaRange}` : undefined;
  if (flags.beta !== undefined && betaAxis !== undefined) {
    throw usageError(`--beta ${flags.beta} and ${betaAxis} both set β: a sweep takes its β values from ${betaAxis.split(' ')[0]}; leave out --beta`);
  }
  if (flags.seed !== undefined && flags.seeds !== undefined) {
    throw usageError(`--seed ${flags.seed} and --seeds ${flags.seeds} both set the seed: leave out --seed (each point runs once per --seeds value)`);
  }
  grids.forEach((axis, i) => {
    const text = `--grid ${texts[i] ?? axis.key}`;
    grids.slice(0, i).forEach((earlier, j) => {
      if (!overlaps(axis.key, earlier.key)) return;
      const how = axis.key === earlier.key ? `give one axis with every value, e.g. --grid ${axisText(axis.key, [...earlier.values, ...axis.values])}` : 'give one of them';
      throw usageError(`--grid ${texts[j] ?? earlier.key} and ${text} both set ${axis.key.length <= earlier.key.length ? axis.key : earlier.key}: ${how}`);
    });
    for (const [shown, keys] of flagKeys(flags)) {
      if (shown === undefined || !keys.some((k) => overlaps(axis.key, k))) continue;
      throw usageError(`${shown} and ${text} both set ${axis.key}: the grid axis would override the flag; leave out ${shown.split(' ')[0]} or the --grid axis`);
    }
  });
}
