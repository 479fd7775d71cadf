import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../apps/cli/src/program.js';
import { renderCliReference } from '../scripts/cli-reference.js';

const committed = readFileSync(new URL('../guides/cli-reference.md', import.meta.url), 'utf8');

describe('docs/guides/cli-reference.md', () => {
  it('is exactly what docs/scripts/gen-cli-reference.ts generates from the CLI (run `pnpm docs:cli` to refresh)', () => {
    expect(committed).toBe(renderCliReference());
  });

  it('documents every command and every option flag the CLI defines', () => {
    const program = createProgram();
    expect(program.commands.length).toBeGreaterThan(0);
    for (const cmd of program.commands) {
      expect(committed).toContain(`## vib ${cmd.name()}`);
      for (const opt of cmd.options) expect(committed).toContain(`\`${opt.flags}\``);
    }
  });
});
