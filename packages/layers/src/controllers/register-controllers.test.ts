import { createRegistry } from '@vib/core';
import { describe, expect, it } from 'vitest';
import { registerControllers } from '../register.js';

describe('registerControllers', () => {
  it('registers exactly the seven controllers under kind "controller", once', () => {
    const registry = createRegistry();
    registerControllers(registry);
    expect(registry.names('controller')).toEqual(['fixed', 'hinge', 'capacity', 'dual-ascent', 'free-bits', 'warmup', 'cyclical']);
    expect(registry.kinds()).toEqual(['controller']);
    expect(() => registerControllers(registry)).toThrow(/fixed/);
  });

  it('every controller validates its own schema defaults into a usable controller', () => {
    const registry = createRegistry();
    registerControllers(registry);
    for (const plugin of registry.list('controller')) {
      const config = plugin.name === 'dual-ascent' ? { targetRateNats: 1 } : {};
      const c = plugin.create(plugin.configSchema.parse(config));
      expect(Number.isFinite(c.beta)).toBe(true);
      expect(Object.values(c.getState()).every(Number.isFinite)).toBe(true);
    }
  });
});
