import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseWithPath } from './parse-with-path.js';

const schema = z.strictObject({ dataset: z.strictObject({ name: z.string() }), beta: z.number().min(0).default(1e-3) });

describe('parseWithPath', () => {
  it('names a required key that is missing, not zod\'s "Invalid input"', () => {
    expect(() => parseWithPath(schema, { beta: 1 }, '')).toThrow('invalid configuration: dataset: missing (this key is required)');
    expect(() => parseWithPath(schema, { dataset: {} }, 'run')).toThrow('run.dataset.name: missing (this key is required)');
  });

  it('names the offending value of a present key and the nearest valid key of an unknown one', () => {
    expect(() => parseWithPath(schema, { dataset: { name: 'mnist' }, beta: -1 }, '')).toThrow(/beta: .*got -1/);
    expect(() => parseWithPath(schema, { dataset: { name: 'mnist' }, betta: 1 }, '')).toThrow('unknown key "betta" at the top level: did you mean "beta"?');
  });
});
