import { describe, expect, it } from 'vitest';
import { fgsmAttack, pgdConfigSchema } from '@vib/core';
import { formatError } from './report-error.js';

describe('formatError', () => {
  it('gives a zod error\'s issues on the one line (its own message is a JSON array whose first line is "[")', () => {
    // the schemas of two built-in attack plugins: pgd's (steps ≥ 1, a boolean randomStart) and fgsm's (no keys at all)
    const r = pgdConfigSchema.safeParse({ steps: 0, randomStart: 'x' });
    const f = fgsmAttack.configSchema.safeParse({ extra: 1 });
    expect([r.success, f.success]).toEqual([false, false]);
    const text = formatError(r.error, false);
    expect(formatError(f.error, false)).toBe('vib: error: a value was refused by its schema: Unrecognized key: "extra" (ZodError)\n');
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toMatch(/^vib: error: a value was refused by its schema: /);
    expect(text).toContain('steps: Too small: expected number to be >=1');
    expect(text).toContain('randomStart: Invalid input: expected boolean, received string');
    expect(text).not.toContain('vib: error: [');
  });

  it('keeps the first line of any other error, named by its class', () => {
    expect(formatError(new RangeError('Invalid typed array length: -1\nmore'), false)).toBe('vib: error: Invalid typed array length: -1 (RangeError)\n');
  });
});
