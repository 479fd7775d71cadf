import { CheckpointError } from '@vib/core';
import type { BottleneckConfig } from './bottleneck-config.js';

/** Version of the bottleneck's saved layer config that {@link writeSavedBottleneck} writes. */
export const BOTTLENECK_FORMAT = 2;

/** What a saved bottleneck holds, read back by {@link readSavedBottleneck} (not yet validated). */
export interface SavedBottleneck {
  /** The configuration as saved, in the flat form the bottleneck's schema reads. */
  readonly config: Record<string, unknown>;
  /** The rate controller's state as saved, if any. */
  readonly controllerState: unknown;
}

// tfjs rewrites every string of a layer config to snake_case on save and back to camelCase on load, which
// lowercases capitals and drops underscores; escaping them (\u0041, \u005f) leaves nothing for it to change.
const escapeForTfjs = (json: string): string => json.replace(/[A-Z_]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Write a bottleneck's saved layer config, format 2: the heads' fields under `encoder` (the config of the
 * {@link GaussianEncoder} it composes), the prior, the controller with its state, and the rest.
 * @param config - the parsed configuration
 * @param controllerState - from `saveControllerState`
 * @returns a JSON string that tfjs' key conversion leaves as it is
 */
export function writeSavedBottleneck(config: BottleneckConfig, controllerState: Record<string, number>): string {
  const { latentDim, posterior, scale, seed, prior, controller, ...rest } = config;
  const saved = {
    format: BOTTLENECK_FORMAT,
    encoder: { latentDim, posterior, scale, ...(seed === undefined ? {} : { seed }) },
    prior,
    controller: { name: controller.name, config: controller.config, state: controllerState },
    ...rest,
  };
  return escapeForTfjs(JSON.stringify(saved));
}

/**
 * Read a bottleneck's saved layer config in either format: 2 (what {@link writeSavedBottleneck} writes) or 1
 * (before the bottleneck composed the encoder: the heads' fields flat beside the rest, and the controller state
 * in `controllerState`). Both come back in one shape, for the bottleneck to validate.
 * @param text - the `vib` field of the layer config
 * @returns the configuration and the controller state
 * @throws {@link CheckpointError} when the text is not JSON of an object, or comes from a newer format
 */
export function readSavedBottleneck(text: string): SavedBottleneck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`the bottleneck's saved config is not JSON (${(e as Error).message}): the model file is corrupted`, { cause: e, details: { rule: 'bottleneck-config' } });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CheckpointError(`the bottleneck's saved config must be an object, got ${JSON.stringify(value)}: the model file is corrupted`, { details: { rule: 'bottleneck-config' } });
  }
  const { format, ...fields } = value as Record<string, unknown>;
  if (format === undefined) {
    const { controllerState, ...config } = fields; // format 1
    return { config, controllerState };
  }
  if (format !== BOTTLENECK_FORMAT) {
    throw new CheckpointError(
      `the bottleneck was saved in format ${JSON.stringify(format)}, and this version of @vib/layers reads formats 1 and ${BOTTLENECK_FORMAT}: upgrade @vib/layers to load it`,
      { details: { rule: 'bottleneck-format', value: format } },
    );
  }
  const { encoder, controller, ...rest } = fields as { encoder?: unknown; controller?: { name?: unknown; config?: unknown; state?: unknown } };
  const { state, ...ref } = controller ?? {};
  return { config: { ...(encoder as object | undefined), ...rest, ...(controller === undefined ? {} : { controller: ref }) }, controllerState: state };
}
