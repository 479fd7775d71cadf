import type { RunDir } from '../output/run-dir.js';
import { renderPlot, type VegaLiteSpec } from './render-plot.js';

/**
 * Render plots and write each as `<name>.svg` and `<name>.png` into a run dir.
 * @param dir - the run dir
 * @param plots - file stem → spec
 * @returns the file names written
 */
export async function writePlots(dir: RunDir, plots: Record<string, VegaLiteSpec>): Promise<string[]> {
  const files: string[] = [];
  for (const [name, spec] of Object.entries(plots)) {
    const r = await renderPlot(spec);
    await dir.write(`${name}.svg`, r.svg);
    await dir.write(`${name}.png`, r.png);
    files.push(`${name}.svg`, `${name}.png`);
  }
  return files;
}
