import * as tf from '@tensorflow/tfjs';
import { resolvePluginRef } from '@vib/core';
import { interpolateInputs, checkDataFitsModel } from '@vib/tasks';
import { setupBackend, threadsFlag } from '../backend-setup.js';
import type { CliIO, GlobalFlags } from '../cli-io.js';
import { resolveDataFlag } from '../data-ref.js';
import { imageGridPng } from '../output/image-grid.js';
import { defaultOutDir, withRunDir } from '../output/run-dir.js';
import { loadModelDir } from '../model-dir.js';
import { createCliRegistry } from '../registry.js';
import { CliError, usageError } from '../util/cli-error.js';
import { INTERPOLATION_STEPS_BOUNDS } from '../util/flag-bounds.js';
import { parseCountFlag, parseNumberFlag } from '../util/parse-flags.js';

/** Flags of `vib interpolate`. */
export type InterpolateFlags = GlobalFlags & { readonly model: string; readonly data?: string; readonly from: string; readonly to: string; readonly steps: string };

/**
 * `vib interpolate`: encode two test inputs to their mean codes, walk a linear path z = (1−α)z₁ + αz₂ and a
 * spherical one z = z₁·cos θ + z₂·sin θ (the seeds' two interpolations), decode each point, and write a PNG
 * grid: row 1 linear, row 2 spherical, with the two inputs at the ends of a third row.
 * @param flags - parsed flags
 * @param io - stdout/stderr
 * @returns the output file and its size
 * @throws {@link CliError} for a classification model or image-less data; (exit code 2) for --steps outside 2..100 or
 *   indices out of range
 */
export async function interpolateCommand(flags: InterpolateFlags, io: CliIO) {
  const index = (flag: string, v: string) => parseNumberFlag(flag, v, [(n) => Number.isSafeInteger(n) && n >= 0, 'an integer ≥ 0'], '1');
  const i = index('--from', flags.from);
  const j = index('--to', flags.to);
  const steps = parseCountFlag('--steps', flags.steps, INTERPOLATION_STEPS_BOUNDS);
  const registry = await createCliRegistry(flags.plugin ?? []);
  await setupBackend(registry, flags.backend, threadsFlag(flags.threads));
  const vm = await loadModelDir(flags.model, registry, flags);
  try {
    if (!vm.task.views.includes('interpolation')) {
      throw new CliError(`--model ${flags.model} is a ${vm.task.name} model: interpolation needs a reconstruction model, whose outputs are inputs (train one with --preset vae)`);
    }
    if (vm.inputShape.length !== 2) throw new CliError(`inputs of shape [${vm.inputShape.join(', ')}] are not images: interpolation draws 2-D inputs`);
    const [h = 0, w = 0] = vm.inputShape;
    const ref = flags.data !== undefined ? await resolveDataFlag(flags.data, registry) : vm.config.dataset;
    const plugin = registry.get('dataset', ref.name);
    const data = await plugin.load(resolvePluginRef(registry, 'dataset', ref, 'dataset').config, { maxTrain: 1 });
    if (flags.data !== undefined) checkDataFitsModel(vm, data, { model: flags.model, data: `--data ${flags.data}` });
    for (const [flag, k] of [['--from', i], ['--to', j]] as const) {
      if (k >= data.test.n) throw usageError(`${flag} ${k} is out of range: the test split has ${data.test.n} examples, so pass an index from 0 to ${data.test.n - 1}`);
    }
    const d = h * w;
    const input = (k: number) => data.test.x.slice(k * d, (k + 1) * d);
    const rows: Float32Array[][] = [];
    for (const kind of ['linear', 'spherical'] as const) {
      const decoded = tf.tidy(() => {
        const { z, decoded } = interpolateInputs(vm, tf.tensor(input(i), [1, h, w]), tf.tensor(input(j), [1, h, w]), steps, kind);
        z.dispose();
        return decoded;
      });
      const values = (await decoded.data()) as Float32Array; // async: webgpu in Node has no sync read
      decoded.dispose();
      rows.push(Array.from({ length: steps }, (_, s) => values.slice(s * d, (s + 1) * d)));
    }
    const blank = new Float32Array(d);
    const ends = [input(i), ...Array.from({ length: steps - 2 }, () => blank), input(j)];
    const grid = imageGridPng([...rows, ends], h, w);
    const { path } = await withRunDir(flags.out ?? defaultOutDir('interpolate'), async (dir) => {
      await dir.write('interpolation.png', grid.png);
    });
    const out = { out: path, file: `${path}/interpolation.png`, width: grid.width, height: grid.height, steps, from: i, to: j };
    io.stdout.write(flags.json ? `${JSON.stringify(out)}\n` : `wrote ${out.file} (${grid.width}×${grid.height}): rows linear, spherical, inputs\n`);
    return out;
  } finally {
    vm.model.dispose();
  }
}
