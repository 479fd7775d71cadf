import { describe, expect, it } from 'vitest';
import { DuplicatePluginError } from '../errors/duplicate-plugin-error.js';
import { NoSuchPluginError } from '../errors/no-such-plugin-error.js';
import { VibError } from '../errors/vib-error.js';
import { createRegistry } from './registry.js';

describe('createRegistry', () => {
  it('registers and looks up plugins by kind and name', () => {
    const r = createRegistry();
    r.register('greeting', { name: 'hello', description: 'says hello' });
    r.register('greeting', { name: 'bye', description: 'says bye' });
    expect(r.get('greeting', 'hello').description).toBe('says hello');
    expect(r.names('greeting')).toEqual(['hello', 'bye']);
    expect(r.has('greeting', 'bye')).toBe(true);
    expect(r.has('greeting', 'nope')).toBe(false);
    expect(r.kinds()).toEqual(['greeting']);
  });

  it('instances are independent (no module-level singleton)', () => {
    const a = createRegistry();
    const b = createRegistry();
    a.register('prior', { name: 'p', description: 'd' } as never);
    expect(b.has('prior', 'p')).toBe(false);
  });

  it('refuses a taken name unless override is asked for', () => {
    const r = createRegistry();
    r.register('greeting', { name: 'hello', description: 'one' });
    expect(() => r.register('greeting', { name: 'hello', description: 'two' })).toThrow(DuplicatePluginError);
    r.register('greeting', { name: 'hello', description: 'two' }, { override: true });
    expect(r.get('greeting', 'hello').description).toBe('two');
  });

  it('a miss lists what is registered', () => {
    const r = createRegistry();
    r.register('greeting', { name: 'hello', description: '' });
    r.register('greeting', { name: 'bye', description: '' });
    let caught: unknown;
    try {
      r.get('greeting', 'helo');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NoSuchPluginError);
    expect(VibError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toBe('unknown greeting "helo": registered greetings are hello, bye');
    expect((caught as VibError).details).toMatchObject({ kind: 'greeting', name: 'helo', available: ['hello', 'bye'] });
    expect(() => r.get('task', 'x')).toThrow(/\(none registered\)/);
  });

  it('rejects a plugin without a name', () => {
    const r = createRegistry();
    expect(() => r.register('greeting', { name: '', description: '' })).toThrow(/non-empty string "name"/);
  });
});
