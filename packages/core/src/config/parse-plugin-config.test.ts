import { ConfigError } from '../errors/config-error.js';
import { VibError } from '../errors/vib-error.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parsePluginConfig } from './parse-plugin-config.js';

const schema = z.strictObject({
  scale: z.number().positive().default(2),
  nested: z.strictObject({ k: z.number().int() }).optional(),
});

describe('parsePluginConfig', () => {
  it('fills defaults, reads undefined as {}, and is idempotent on parsed configs', () => {
    expect(parsePluginConfig('prior "x"', schema, undefined)).toEqual({ scale: 2 });
    const once = parsePluginConfig('prior "x"', schema, { scale: 3 });
    expect(parsePluginConfig('prior "x"', schema, once)).toEqual(once);
  });

  it('names the plugin, the field and the offending value', () => {
    let caught: unknown;
    try {
      parsePluginConfig('prior "x"', schema, { scale: -4 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(VibError.isInstance(caught)).toBe(true);
    const err = caught as ConfigError;
    expect(err.message).toMatch(/^prior "x": config field "scale" is invalid .* got -4;/);
    expect(err.details).toMatchObject({ plugin: 'prior "x"', field: 'scale', value: -4 });
  });

  it('names nested paths and unknown keys', () => {
    expect(() => parsePluginConfig('p', schema, { nested: { k: 1.5 } })).toThrow(/"nested\.k".*got 1\.5/);
    expect(() => parsePluginConfig('p', schema, { scael: 1 })).toThrow(/"scael".*did you mean "scale"\?/);
    expect(() => parsePluginConfig('p', schema, { qqqqqq: 1 })).toThrow(/"qqqqqq".*check its spelling/);
    expect(() => parsePluginConfig('p', schema, 7)).toThrow(/"\(config\)".*got 7/);
  });
});
