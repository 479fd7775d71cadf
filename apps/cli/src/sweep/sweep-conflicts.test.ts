import { describe, expect, it } from 'vitest';
import { parseGridFlag } from './grid.js';
import { checkSweepConflicts } from './sweep-conflicts.js';
import type { SweepFlags } from './sweep-plan.js';

/** Check the flags as `planSweep` does, returning the usage error's message (or null when accepted). */
function conflict(flags: SweepFlags): string | null {
  try {
    checkSweepConflicts(flags, (flags.grid ?? []).map(parseGridFlag));
    return null;
  } catch (e) {
    expect((e as { details: Record<string, unknown> }).details['exitCode']).toBe(2);
    return (e as Error).message;
  }
}

describe('sweep flags that would silently drop one another are refused', () => {
  it('--beta beside the β axis', () => {
    expect(conflict({ betas: '1e-3', beta: '0.1' })).toBe('--beta 0.1 and --betas 1e-3 both set β: a sweep takes its β values from --betas; leave out --beta');
    expect(conflict({ betaRange: '1e-4:1:3', beta: '0.1' })).toMatch(/^--beta 0\.1 and --beta-range 1e-4:1:3 both set β/);
    expect(conflict({ grid: ['beta=1,2'], beta: '0.1' })).toMatch(/^--beta 0\.1 and --grid beta=1,2 both set beta/);
  });

  it('two --grid axes on one key, or one inside the other', () => {
    expect(conflict({ betas: '1e-3', grid: ['latentDim=4', 'latentDim=8'] })).toBe(
      '--grid latentDim=4 and --grid latentDim=8 both set latentDim: give one axis with every value, e.g. --grid latentDim=4,8',
    );
    expect(conflict({ betas: '1e-3', grid: ['encoder.hidden=[[64]]', 'encoder.hidden=[[8,8]]'] })).toMatch(/e\.g\. --grid encoder\.hidden=\[\[64\],\[8,8\]\]$/);
    expect(conflict({ betas: '1e-3', grid: ['encoder={"hidden":[8]}', 'encoder.activation=tanh'] })).toMatch(/both set encoder: give one of them$/);
  });

  it('a --grid axis on a key a flag sets, and --seed beside --seeds', () => {
    expect(conflict({ betas: '1e-3', latentDim: '8', grid: ['latentDim=4,16'] })).toMatch(/^--latent-dim 8 and --grid latentDim=4,16 both set latentDim/);
    expect(conflict({ betas: '1e-3', lr: '0.01', grid: ['optimizer.learningRate=1e-3'] })).toMatch(/^--lr 0\.01 and --grid/);
    expect(conflict({ betas: '1e-3', seeds: '0,1', grid: ['seed=3'] })).toMatch(/^--seeds 0,1 and --grid seed=3/);
    expect(conflict({ betas: '1e-3', deterministic: true, grid: ['model=vib'] })).toMatch(/^--deterministic and --grid model=vib/);
    expect(conflict({ betas: '1e-3', seed: '1', seeds: '0,1' })).toMatch(/^--seed 1 and --seeds 0,1 both set the seed/);
  });

  it('accepts axes on distinct keys beside unrelated flags', () => {
    expect(conflict({ betas: '1e-3', latentDim: '8', seeds: '0,1', grid: ['encoder.activation=relu,tanh', 'optimizer.learningRate=1e-3,1e-4'] })).toBeNull();
  });
});
