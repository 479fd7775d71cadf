import { VibError, type Registry } from '@vib/core';
import { parseExperimentConfig, type ExperimentConfig } from '@vib/tasks';
import type { CliIO, GlobalFlags } from '../cli-io.js';
import { checkSubsetFlags, type SubsetFlags } from '../dataset-load.js';
import { buildRawConfig, type ExperimentFlags } from '../experiment-options.js';
import { usageError } from '../util/cli-error.js';
import { parseLogRange, parseNumberList, SEED_CHECK } from '../util/parse-flags.js';
import { pluginFlag } from '../util/plugin-flag.js';
import { expandGrid, parseGridFlag, type GridAxis } from './grid.js';
import { checkSweepConflicts } from './sweep-conflicts.js';
import { pointId } from './point-id.js';
import type { PointSpec } from './point-spec.js';

/** Flags of `vib sweep`. */
export type SweepFlags = GlobalFlags & ExperimentFlags & SubsetFlags & {
  readonly betas?: string;
  readonly betaRange?: string;
  /** `--seeds 0,1,2`. */
  readonly seeds?: string;
  /** `--grid key=v1,v2` (repeatable). */
  readonly grid?: readonly string[];
  /** `--jobs N`: local worker processes. */
  readonly jobs?: string;
  /** `--queue redis://host:port`: enqueue on BullMQ instead. */
  readonly queue?: string;
  /** `--threads N`: threads of the heavy kernels of each point (in this process, or in each `--jobs` process). */
  readonly threads?: string;
};

/**
 * Parse one point's config. When the schema or the registry refuses a point while the base config (the flags and
 * `--config` without the axes) passes, a grid value made it so: that is a usage error naming the point's coordinates.
 * A base config that fails too is reported as it is, as `vib train` would.
 * @param raw - the point's raw config
 * @param coords - its coordinates on the axes
 * @param base - the raw config before the axes were set
 * @param registry - validates it
 * @returns the parsed config
 * @throws {@link CliError} (exit code 2) naming the coordinates and the schema's complaint
 */
function parsePoint(raw: Record<string, unknown>, coords: Readonly<Record<string, unknown>>, base: Record<string, unknown>, registry: Registry): ExperimentConfig {
  try {
    return parseExperimentConfig(raw, registry);
  } catch (e) {
    if (!VibError.isInstance(e) || (e.code !== 'E_CONFIG' && e.code !== 'E_NO_SUCH_PLUGIN')) throw e;
    parseExperimentConfig(base, registry);
    const at = Object.entries(coords).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
    throw usageError(`the sweep point ${at} is not a valid config: ${e.message}. Change that --grid value (or --betas/--seeds) and run the sweep again`, { cause: e });
  }
}

/** A planned sweep: the base config, the axes, and every point with its parsed config. */
export interface SweepPlan {
  readonly base: Record<string, unknown>;
  readonly axes: readonly GridAxis[];
  readonly points: readonly (PointSpec & { readonly config: ExperimentConfig })[];
}

/**
 * Expand the sweep flags into grid points: the β axis (`--betas` or `--beta-range`, or `--grid beta=...`),
 * each `--grid key=v1,v2` axis set by dotted key in the raw config, then `--seeds`. Every point is parsed
 * here, so a bad value fails before any work starts; identical points are kept once.
 * @param flags - the sweep's flags
 * @param registry - validates the configs
 * @param _io - unused (reserved for warnings)
 * @returns the plan
 * @throws {@link CliError} (exit code 2) on missing or conflicting flags and bad grid values
 */
export async function planSweep(flags: SweepFlags, registry: Registry, _io?: CliIO): Promise<SweepPlan> {
  const grids = (flags.grid ?? []).map(parseGridFlag);
  const gridBeta = grids.some((g) => g.key === 'beta');
  const given = [flags.betas, flags.betaRange].filter((v) => v !== undefined).length + (gridBeta ? 1 : 0);
  if (given !== 1) throw usageError('give exactly one of --betas (e.g. 1e-4,1e-3,1e-2), --beta-range (e.g. 1e-4:1:5) and --grid beta=...');
  checkSweepConflicts(flags, grids);
  // the points check these only when they run, each failing on its own: refuse them once, now
  checkSubsetFlags(flags);
  if (flags.backend !== undefined) pluginFlag(registry, 'backend', '--backend', flags.backend);
  const axes: GridAxis[] = [];
  if (!gridBeta) {
    const betas = flags.betas !== undefined
      ? parseNumberList('--betas', flags.betas, [(v) => v >= 0, 'a number ≥ 0 (β weighs the rate term)'])
      : parseLogRange(flags.betaRange!);
    axes.push({ key: 'beta', values: betas });
  }
  axes.push(...grids);
  if (flags.seeds !== undefined) {
    axes.push({ key: 'seed', values: parseNumberList('--seeds', flags.seeds, SEED_CHECK, '0,1,2') });
  }
  const { beta: _beta, ...rest } = flags;
  const base = await buildRawConfig(rest, registry);
  const seen = new Set<string>();
  const points = [];
  for (const p of expandGrid(base, axes)) {
    const config = parsePoint(p.raw, p.coords, base, registry);
    const id = `p-${pointId(config)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    points.push({ pointId: id, raw: p.raw, coords: p.coords, plugins: flags.plugin ?? [], ...(flags.backend !== undefined ? { backend: flags.backend } : {}), config });
  }
  return { base, axes, points };
}
