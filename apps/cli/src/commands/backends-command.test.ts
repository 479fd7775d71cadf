import type { SelectedBackend } from '@vib/backends';
import { describe, expect, it } from 'vitest';
import { selectionLines } from './backends-command.js';

describe('selectionLines', () => {
  const skipped = [
    { name: 'tensorflow', reason: '@tensorflow/tfjs-node is not installed; see packages/backends/README.md' },
    { name: 'webgl', reason: 'runs in browser only, not node' },
  ];
  const selected: SelectedBackend = {
    name: 'wasm', tier: 'native', threads: 2, skipped,
    reason: 'native tier: its own GEMM; OpenBLAS 0.3.21; skipped tensorflow (@tensorflow/tfjs-node is not installed; see packages/backends/README.md), webgl (runs in browser only, not node)',
  };

  it('prints the reason one part to a line and names the skipped backends once, without their reasons (the table has them)', () => {
    expect(selectionLines(selected)).toEqual([
      'a run would use: wasm (native tier, 2 threads)',
      '  native tier: its own GEMM',
      '  OpenBLAS 0.3.21',
      '  skipped first: tensorflow, webgl (the ✗ rows above say why)',
    ]);
  });

  it('keeps a reason that does not end in the skip list whole, and says 1 thread', () => {
    expect(selectionLines({ name: 'cpu', tier: 'library', threads: 1, reason: 'cpu is bundled with @tensorflow/tfjs', skipped: [] })).toEqual([
      'a run would use: cpu (library tier, 1 thread)',
      '  cpu is bundled with @tensorflow/tfjs',
    ]);
    const odd = selectionLines({ ...selected, reason: 'made by a plugin' });
    expect(odd.slice(0, 2)).toEqual(['a run would use: wasm (native tier, 2 threads)', '  made by a plugin']);
  });
});
