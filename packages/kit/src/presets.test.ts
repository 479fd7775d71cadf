import { ConfigError } from '@vib/core';
import { registerMnistDataset } from '@vib/data/mnist';
import { parseExperimentConfig } from '@vib/tasks';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './create-default-registry.js';
import { PRESETS, presetConfig } from './presets.js';

describe('presets (one definition for the CLI and the web demo)', () => {
  const registry = createDefaultRegistry();
  registerMnistDataset(registry); // the embedded digits are opt-in; the digits presets name them

  it('every preset passes the strict experiment schema', () => {
    for (const name of Object.keys(PRESETS)) expect(() => parseExperimentConfig(presetConfig(name), registry), name).not.toThrow();
  });

  it('tishby-12bit is the 12-10-7-5-4-3-2 network of Shwartz-Ziv & Tishby (2017)', () => {
    const c = parseExperimentConfig(presetConfig('tishby-12bit'), registry);
    const widths = [12, ...c.encoder.hidden, c.latentDim, 2]; // 12 input bits, 2 classes
    expect(widths).toEqual([12, 10, 7, 5, 4, 3, 2]);
  });

  it('hands out copies, and names the presets for an unknown one', () => {
    (presetConfig('digits')['encoder'] as { hidden: number[] }).hidden.push(99);
    expect((presetConfig('digits')['encoder'] as { hidden: number[] }).hidden).toEqual([256]);
    expect(() => presetConfig('digts')).toThrow(ConfigError);
    expect(() => presetConfig('digts')).toThrow(/choose one of digits, digits-2d/);
  });
});
