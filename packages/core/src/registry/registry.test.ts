import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DuplicatePluginError } from '../errors/duplicate-plugin-error.js';
import { InvalidPluginError } from '../errors/invalid-plugin-error.js';
import { defineCoreKinds } from '../plugins/kind-shapes.js';
import { registerCore } from '../register.js';
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
    expect(() => r.register('greeting', { name: '', description: '' })).toThrow(InvalidPluginError);
    expect(() => r.register('greeting', { name: '  ', description: '' })).toThrow(/the greeting plugin " {2}" cannot be registered: name is missing or blank \(a non-empty string, kebab-case by convention/);
    expect(() => r.register('greeting', null as never)).toThrow(/the greeting plugin "\(none\)" cannot be registered: the plugin is null, not an object/);
  });

  it('refuses what a type cannot say about the core kinds: posterior families, an estimator\'s input and the objective scores need', () => {
    const r = createRegistry();
    defineCoreKinds(r);
    const prior = { name: 'p', description: 'd', configSchema: z.object({}), create: () => ({}) };
    expect(() => r.register('prior', { ...prior, posteriors: ['gaussian'] } as never)).toThrow(
      'the prior plugin "p" cannot be registered: posteriors has "gaussian", not a posterior family: use diagonal-gaussian, full-gaussian, squashed-gaussian',
    );
    expect(() => r.register('prior', { ...prior, posteriors: [] } as never)).toThrow(/posteriors is empty: list the posterior families the prior pairs with, the default first/);
    expect(() => r.register('prior', { ...prior, posteriors: ['full-gaussian', 'diagonal-gaussian'] } as never)).not.toThrow();
    const estimator = { name: 'e', description: 'd', configSchema: z.object({}), estimate: () => ({}) };
    expect(() => r.register('estimator', { ...estimator, input: 'activation' } as never)).toThrow(/input is "activation": it is 'activations' \(recorded layer outputs and labels\) or 'scores'/);
    expect(() => r.register('estimator', { ...estimator, input: 'scores' } as never)).toThrow(/createObjective is missing \(a function\): an estimator of input 'scores' gives the objective its critic is trained on/);
    expect(() => r.register('estimator', { ...estimator, input: 'scores', createObjective: () => ({}) } as never)).not.toThrow();
    // a third party's kind can say the same of its own
    r.defineKind('greeting', { text: 'string' }, (p) => ((p['text'] as string).endsWith('!') ? [] : ['text does not end with "!"']));
    expect(() => r.register('greeting', { name: 'g', description: 'd', text: 'hello' } as never)).toThrow(/the greeting plugin "g" cannot be registered: text does not end with "!"/);
  });

  it("refuses a plugin that lacks what its kind needs, naming each member, when it is registered", () => {
    const r = createRegistry();
    defineCoreKinds(r);
    let caught: unknown;
    try {
      r.register('prior', { name: 'myprior', description: 'a prior', posteriors: 'diagonal-gaussian', configSchema: {} } as never);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidPluginError);
    expect((caught as Error).message).toBe(
      'the prior plugin "myprior" cannot be registered: configSchema is not a zod schema; posteriors is not an array; create is missing (a function): give it every member its kind needs (for a kind of @vib\'s, its plugin interface in the API docs lists them)',
    );
    expect((caught as VibError).details).toMatchObject({ kind: 'prior', name: 'myprior' });
    expect(r.has('prior', 'myprior')).toBe(false);
  });

  it('checks plugins registered before their kind was defined, and a third party can define its own kind', () => {
    const r = createRegistry();
    r.register('attack', { name: 'early', description: 'no create' } as never);
    expect(() => registerCore(r)).toThrow(/the attack plugin "early" cannot be registered: norm is missing \(a string\); configSchema is missing \(a zod schema\); create is missing \(a function\)/);
    const own = createRegistry();
    own.defineKind('greeting', { greet: 'function' });
    expect(() => own.register('greeting', { name: 'hi', description: 'says hi' })).toThrow('greet is missing (a function)');
    own.register('greeting', { name: 'hi', description: 'says hi', greet: () => 'hi' } as never);
    expect(own.names('greeting')).toEqual(['hi']);
  });

  it("every built-in core plugin fits its kind's shape", () => {
    const r = createRegistry();
    registerCore(r);
    expect(r.names('estimator').length).toBeGreaterThan(0);
    expect(r.names('attack')).toEqual(['fgsm', 'pgd', 'pgd-l2']);
  });
});
