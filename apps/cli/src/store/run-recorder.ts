import type { EpochMetrics, ExperimentConfig } from '@vib/tasks';
import { VibError } from '@vib/core';
import { startHeartbeat, type RunStore } from '@vib/store';
import { isUsageError } from '../util/cli-error.js';
import { gitRevision, packageVersions } from './provenance.js';
import { openCliStore, parseTags, storePath, type StoreFlags } from './store-flags.js';
import { removeStoreFootprint, storeFootprint } from './store-footprint.js';

/** What a command tells the store while it runs. */
export interface RunRecorder {
  /** The run's id in the store. */
  readonly id: string;
  /** The open store. */
  readonly store: RunStore;
  /**
   * Record the resolved experiment config (also fills the seed, dataset and β columns).
   * @param config - the parsed config
   */
  config(config: ExperimentConfig): void;
  /**
   * Record the backend actually used.
   * @param name - backend name
   * @param tier - its speed tier
   */
  backend(name: string, tier: string): void;
  /**
   * Record one epoch's metrics.
   * @param m - the epoch's metrics
   */
  epoch(m: EpochMetrics): void;
  /**
   * Record a file or folder the run wrote.
   * @param name - what it is (`dir`, `model`, `metrics`)
   * @param path - where it is
   */
  artifact(name: string, path: string): void;
}

/**
 * The β of a config whose controller is the fixed one, else null.
 * @param config - a parsed config
 * @returns β or null
 */
export function fixedBeta(config: ExperimentConfig): number | null {
  const beta = (config.controller.config as { beta?: unknown } | undefined)?.beta;
  return config.controller.name === 'fixed' && typeof beta === 'number' ? beta : null;
}

const SIGNALS = { SIGTERM: 143, SIGHUP: 129, SIGINT: 130 } as const;

/**
 * Run a command body as a recorded run: a `running` row first, then `completed` with the body's summary,
 * `failed` with the error, or `interrupted` on SIGINT/SIGTERM/SIGHUP (a SIGKILL or crash is found later by
 * the pid check on this host, or on any host by the heartbeat this function keeps while the body runs). Signals other commands already handle (the training loop's SIGINT) are left to them.
 * A usage error (exit code 2) is no run: its row is deleted, and a store file this call created is removed
 * again while it holds no run. Commands check their flags before calling this, so only the usage errors that
 * need what the run loads (e.g. `eval --samples` against the model's width) reach it.
 * @param flags - `--store` and `--tag`
 * @param command - the command name
 * @param argv - the command line
 * @param body - the command, given the recorder; returns its result and the summary to store
 * @returns the body's result
 */
export async function recordRun<T>(
  flags: StoreFlags,
  command: string,
  argv: readonly string[],
  body: (rec: RunRecorder) => Promise<{ result: T; summary: Record<string, unknown> }>,
): Promise<T> {
  const tags = parseTags(flags.tag);
  const footprint = storeFootprint(storePath(flags));
  const store = openCliStore(flags);
  let unused = false;
  const id = store.startRun({ command, argv, tags, gitRev: gitRevision(), versions: packageVersions() });
  const stopBeats = startHeartbeat(store, id);
  const rec: RunRecorder = {
    id,
    store,
    config: (c) => store.updateRun(id, { config: c, seed: c.seed, dataset: c.dataset.name, beta: fixedBeta(c) }),
    backend: (name, tier) => store.updateRun(id, { backend: name, tier }),
    epoch: (m) => store.logEpoch(id, m.epoch, { ...m }),
    artifact: (name, path) => store.addArtifact(id, name, path),
  };
  const handlers = Object.entries(SIGNALS).map(([signal, code]) => {
    const handler = () => {
      store.finishRun(id, { status: 'interrupted', error: `${signal} received` });
      // Another listener (the run folder's SIGINT handler) stops the work cleanly; otherwise exit now.
      if (process.listenerCount(signal) === 1) process.exit(code);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  try {
    const { result, summary } = await body(rec);
    store.finishRun(id, { status: 'completed', summary });
    return result;
  } catch (e) {
    if (isUsageError(e)) {
      // the command line was wrong, so nothing ran: leave no trace
      store.remove([id]);
      unused = footprint.createsFile && store.list({ limit: 1 }).length === 0;
      throw e;
    }
    // a signal (the run folder's handler stops the work and throws with the signal's exit code)
    const interrupted = VibError.isInstance(e) && (e.details['signal'] !== undefined || [129, 130, 143].includes(e.details['exitCode'] as number));
    store.finishRun(id, { status: interrupted ? 'interrupted' : 'failed', error: (e as Error).message });
    throw e;
  } finally {
    stopBeats();
    for (const [signal, handler] of handlers) process.off(signal, handler);
    store.close();
    if (unused) removeStoreFootprint(footprint);
  }
}
