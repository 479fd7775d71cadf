import { describe, expect, it } from 'vitest';
import { describeAdapter, summarizeAdapter } from './adapter-summary.js';

describe('summarizeAdapter', () => {
  it('tells CPU implementations from GPUs by the fallback flag or the driver name', () => {
    const cases: [Parameters<typeof summarizeAdapter>[0], boolean][] = [
      [{ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true }, true],
      [{ vendor: 'google', architecture: 'swiftshader' }, true], // Chromium without isFallbackAdapter
      [{ vendor: 'mesa', architecture: '', device: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, true], // lavapipe
      [{ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' }, true], // WARP
      [{ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }, false],
      [{ vendor: 'apple', architecture: 'metal-3' }, false],
      [{ vendor: 'intel', architecture: 'gen-12lp', isFallbackAdapter: false }, false],
    ];
    for (const [info, software] of cases) expect([info, summarizeAdapter(info, 'dawn').software]).toEqual([info, software]);
  });

  it('names the adapter as vib backends prints it', () => {
    expect(describeAdapter(summarizeAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }, 'dawn'))).toBe(
      'hardware adapter nvidia/hopper (NVIDIA H200)',
    );
    expect(describeAdapter(summarizeAdapter({ vendor: '', device: 'lavapipe' }, 'browser'))).toBe('software adapter unknown vendor (lavapipe)');
  });
});
