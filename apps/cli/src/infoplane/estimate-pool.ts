import { availableParallelism } from 'node:os';
import type { ActivationEstimateInput, EstimateResult } from '@vib/core';
import { ChildPool, childEntry } from '../util/child-pool.js';
import { CliError } from '../util/cli-error.js';

/** One estimate for an estimate process: the estimator's registered name, its config, and what it reads. */
export interface EstimateTask {
  readonly name: string;
  readonly input: ActivationEstimateInput;
  readonly config: Record<string, unknown>;
}

/** The fewest inputs per split at which `vib infoplane` estimates in other processes by default. */
export const POOLED_INPUTS = 1024;

/** Estimators whose cost grows only linearly with the inputs: not worth a process of their own by default. */
const LINEAR_ESTIMATORS: readonly string[] = ['binning'];

/**
 * How many processes estimate beside `vib infoplane`'s training: as many as `--jobs` asks, else one per core where
 * the estimators read {@link POOLED_INPUTS} inputs or more on a machine of two cores or more and one of them is not
 * binning (the KDE's pairs grow as n², a plugin's cost is unknown, and a process costs about a second to start),
 * else none.
 * @param inputs - inputs per split the estimators read
 * @param estimators - the estimators' registered names
 * @param asked - the processes `--jobs` asks for, if it is given
 * @param cores - cores of this machine (default `availableParallelism()`)
 * @returns processes, 0 for none
 */
export function estimateProcesses(inputs: number, estimators: readonly string[], asked: number | undefined, cores: number = availableParallelism()): number {
  if (asked !== undefined) return asked;
  return cores >= 2 && inputs >= POOLED_INPUTS && estimators.some((name) => !LINEAR_ESTIMATORS.includes(name)) ? cores : 0;
}

/**
 * Processes that run activation estimators by registered name (`estimate-child`), each with the built-in plugins and
 * the run's `--plugin` modules, so that `vib infoplane` estimates the layers of one epoch side by side, and while it
 * trains on. An estimate's result is the one the CLI's own process would give (the same code on the same values).
 */
export class EstimatePool {
  private readonly pool: ChildPool<EstimateTask, EstimateResult>;

  /**
   * @param size - processes at most
   * @param plugins - the run's `--plugin` values, loaded by each process as the CLI loaded them
   */
  constructor(size: number, plugins: readonly string[]) {
    this.pool = new ChildPool(childEntry(import.meta.url, 'estimate-child'), size, {
      env: { VIB_ESTIMATE_PLUGINS: JSON.stringify(plugins) },
      describe: (task) => `estimating with ${task.name}`,
    });
  }

  /**
   * Run one estimator in a free process.
   * @param task - the estimator's name and config, and its input
   * @returns its result
   * @throws {@link CliError} with the estimator's own message where it failed, or the process's exit
   */
  async estimate(task: EstimateTask): Promise<EstimateResult> {
    try {
      return await this.pool.run(task);
    } catch (e) {
      throw new CliError((e as Error).message, { details: { estimator: task.name } });
    }
  }

  /** Stop every process. */
  close(): void {
    this.pool.close();
  }
}
