import { readFile } from 'node:fs/promises';
import type { Registry } from '@vib/core';
import { resolveDataFlag } from './data-ref.js';
import { DEFAULT_PRESET, presetConfig } from '@vib/kit';
import { activationSchema } from '@vib/tasks';
import { CliError, usageError } from './util/cli-error.js';
import { HIDDEN_BOUNDS, LATENT_DIM_BOUNDS } from './util/flag-bounds.js';
import { parseCountFlag, parseNumberFlag, parseSeedFlag } from './util/parse-flags.js';
import { pluginFlag } from './util/plugin-flag.js';

/** The encoder activations `--activation` takes. */
export const ACTIVATIONS: readonly string[] = activationSchema.options;

/**
 * Check an `--activation` value.
 * @param activation - one name
 * @returns the name
 * @throws {@link CliError} (exit code 2) unless it is one of {@link ACTIVATIONS}
 */
export function activationFlag(activation: string): string {
  if (!ACTIVATIONS.includes(activation)) throw usageError(`--activation ${activation} is unknown: choose from ${ACTIVATIONS.join(', ')}`);
  return activation;
}

/**
 * Refuse flags that `--deterministic` would silently ignore: the baseline has no rate term and no prior r(z).
 * @param flags - command-line flags
 * @throws {@link CliError} (exit code 2) naming both flags
 */
export function checkDeterministicFlags(flags: ExperimentFlags): void {
  if (flags.deterministic !== true) return;
  if (flags.beta !== undefined) throw usageError(`--deterministic and --beta ${flags.beta} conflict: the deterministic baseline has no rate term, so β has no effect; leave out --beta, or --deterministic to train a VIB`);
  if (flags.prior !== undefined) throw usageError(`--deterministic and --prior ${flags.prior} conflict: the deterministic baseline has no prior r(z); leave out --prior, or --deterministic to train a VIB`);
}

/** Flags shared by the commands that train (strings as commander hands them over). */
export interface ExperimentFlags {
  readonly config?: string;
  readonly preset?: string;
  readonly data?: string;
  readonly labelColumn?: string;
  readonly seed?: string;
  readonly epochs?: string;
  readonly beta?: string;
  readonly prior?: string;
  readonly task?: string;
  readonly latentDim?: string;
  readonly hidden?: string;
  readonly activation?: string;
  readonly batchSize?: string;
  readonly lr?: string;
  readonly adamBeta1?: string;
  readonly adamBeta2?: string;
  readonly adamEpsilon?: string;
  /** `--deterministic`: train the deterministic baseline (`model: 'deterministic'`). */
  readonly deterministic?: boolean;
  /** false when `--no-ema` is given: evaluate the raw weights, not their moving average. */
  readonly ema?: boolean;
  /** `--max-train`: the config's `subset.maxTrain`. */
  readonly maxTrain?: string;
  /** `--max-test`: the config's `subset.maxTest`. */
  readonly maxTest?: string;
}

/**
 * Read a JSON config file.
 * @param path - the file
 * @returns the parsed JSON
 * @throws {@link CliError} (exit code 2) when there is no such file (or it is a folder)
 * @throws {@link CliError} when it cannot be read or is not a JSON object
 */
export async function readJsonConfig(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = `--config ${path}: cannot read the file (${code ?? (e as Error).message}): check the path`;
    // no file at the path is a bad flag value; one that cannot be read (permissions, I/O) is not
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') throw usageError(message, { cause: e, details: { flag: '--config', value: path } });
    throw new CliError(message, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError(`--config ${path} is not valid JSON (${(e as Error).message}): fix the file`, { cause: e });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    const got = json === null ? 'null' : Array.isArray(json) ? 'an array' : `a ${typeof json}`;
    throw new CliError(`--config ${path} must hold a JSON object, got ${got}: write { "dataset": { "name": "mnist" }, ... }`);
  }
  return json as Record<string, unknown>;
}

/**
 * Assemble the raw experiment config: the preset (or --config file), then each flag on top.
 * The result is validated by `parseExperimentConfig` afterwards.
 * @param flags - command-line flags
 * @param registry - to resolve --data
 * @param base - the starting config instead of the preset (a resumed run's config), when no --config is given
 * @returns the raw config
 * @throws {@link CliError} on an unknown preset, a bad flag value, or an unreadable config
 */
export async function buildRawConfig(flags: ExperimentFlags, registry: Registry, base?: object): Promise<Record<string, unknown>> {
  checkDeterministicFlags(flags);
  let config: Record<string, unknown>;
  if (base !== undefined && flags.config === undefined && flags.preset === undefined) {
    config = base as Record<string, unknown>;
  } else if (flags.config !== undefined) {
    config = await readJsonConfig(flags.config);
    if (flags.preset !== undefined) config = { ...presetConfig(flags.preset), ...config };
  } else {
    config = presetConfig(flags.preset ?? DEFAULT_PRESET);
  }
  config = structuredClone(config);
  if (flags.data !== undefined) config['dataset'] = await resolveDataFlag(flags.data, registry, flags.labelColumn);
  if (flags.seed !== undefined) config['seed'] = parseSeedFlag('--seed', flags.seed);
  if (flags.epochs !== undefined) config['epochs'] = parseCountFlag('--epochs', flags.epochs);
  if (flags.batchSize !== undefined) config['batchSize'] = parseCountFlag('--batch-size', flags.batchSize);
  if (flags.latentDim !== undefined) config['latentDim'] = parseCountFlag('--latent-dim', flags.latentDim, LATENT_DIM_BOUNDS);
  if (flags.beta !== undefined) {
    config['beta'] = parseNumberFlag('--beta', flags.beta, [(v) => v >= 0, 'a number ≥ 0 (β weighs the rate term)']);
    delete config['controller'];
  }
  if (flags.prior !== undefined) config['prior'] = { name: pluginFlag(registry, 'prior', '--prior', flags.prior).name };
  if (flags.task !== undefined) config['task'] = { name: pluginFlag(registry, 'task', '--task', flags.task).name };
  if (flags.lr !== undefined) {
    const lr = parseNumberFlag('--lr', flags.lr, [(v) => v > 0, 'a number > 0']);
    config['optimizer'] = { ...(config['optimizer'] as object | undefined), learningRate: lr };
  }
  const adam: [string, string | undefined, string, [(v: number) => boolean, string]][] = [
    ['beta1', flags.adamBeta1, '--adam-beta1', [(v) => v >= 0 && v < 1, 'a number in [0, 1)']],
    ['beta2', flags.adamBeta2, '--adam-beta2', [(v) => v >= 0 && v < 1, 'a number in [0, 1)']],
    ['epsilon', flags.adamEpsilon, '--adam-epsilon', [(v) => v > 0, 'a number > 0']],
  ];
  for (const [key, value, flag, check] of adam) {
    if (value !== undefined) config['optimizer'] = { ...(config['optimizer'] as object | undefined), [key]: parseNumberFlag(flag, value, check) };
  }
  if (flags.maxTrain !== undefined || flags.maxTest !== undefined) {
    const subset = { ...(config['subset'] as Record<string, unknown> | undefined) };
    if (flags.maxTrain !== undefined) subset['maxTrain'] = parseCountFlag('--max-train', flags.maxTrain);
    if (flags.maxTest !== undefined) subset['maxTest'] = parseCountFlag('--max-test', flags.maxTest);
    config['subset'] = subset;
  }
  if (flags.deterministic === true) config['model'] = 'deterministic';
  if (flags.ema === false && config['optimizer'] !== undefined) {
    const { ema: _dropped, ...optimizer } = config['optimizer'] as Record<string, unknown>;
    config['optimizer'] = optimizer;
  }
  if (flags.hidden !== undefined || flags.activation !== undefined) {
    const encoder = { ...(config['encoder'] as Record<string, unknown> | undefined) };
    if (flags.hidden !== undefined) encoder['hidden'] = flags.hidden.split(',').map((h) => parseCountFlag('--hidden', h.trim(), HIDDEN_BOUNDS));
    if (flags.activation !== undefined) encoder['activation'] = activationFlag(flags.activation);
    config['encoder'] = encoder;
  }
  return config;
}
