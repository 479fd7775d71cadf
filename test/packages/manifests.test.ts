// What every published package.json promises a consumer, checked against the sources (no build needed).
// test/consumer/ checks the same promises end to end, from packed tarballs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));

interface Manifest {
  name: string;
  description?: string;
  keywords?: string[];
  license?: string;
  repository?: { type: string; url: string; directory: string };
  engines?: { node?: string };
  sideEffects?: boolean | string[];
  exports?: Record<string, string | Record<string, string>>;
  files?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const dirs = readdirSync(join(repo, 'packages')).filter((d) => existsSync(join(repo, 'packages', d, 'package.json')));
const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(repo, 'packages', dir, 'package.json'), 'utf8'));
/** The TypeScript packages (all but the native addon, which ships plain JS). */
const tsDirs = dirs.filter((d) => existsSync(join(repo, 'packages', d, 'tsconfig.json')));

/** Every non-test .ts file under a directory. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

describe('package manifests', () => {
  it.each(dirs)('%s: description, keywords, MIT license file, repository, engines', (dir) => {
    const m = manifest(dir);
    expect(m.description?.length ?? 0).toBeGreaterThan(20);
    expect(m.keywords).toEqual(expect.arrayContaining(['information-bottleneck', 'tensorflowjs']));
    expect(m.license).toBe('MIT');
    expect(readFileSync(join(repo, 'packages', dir, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(m.repository).toMatchObject({ type: 'git', directory: `packages/${dir}` });
    expect(m.engines?.node).toBe('>=20');
    expect(m.files).not.toContain('bench');
  });

  it.each(tsDirs)('%s: every export has @vib/source, types, import and an ESM-only require stub; files ship dist and cjs only; prepack builds', (dir) => {
    const m = manifest(dir);
    const root = join(repo, 'packages', dir);
    for (const [sub, target] of Object.entries(m.exports ?? {})) {
      if (sub === './package.json') continue;
      expect(typeof target).toBe('object');
      const t = target as Record<string, string>;
      expect(Object.keys(t)).toEqual(['@vib/source', 'types', 'import', 'require']);
      expect(existsSync(join(root, t['@vib/source']!)), t['@vib/source']).toBe(true);
      const spec = `${m.name}${sub.slice(1)}`;
      const stub = readFileSync(join(root, t.require!), 'utf8');
      expect(stub).toContain(`'${spec} is ESM-only: use import { ... } from "${spec}"`);
      expect(stub).toContain(`module.exports = require('..${t.import!.slice(1)}');`);
    }
    // the README's relative links to the package's own markdown files (a performance log, say) must ship too
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const linked = [...readme.matchAll(/\]\(\.\/([\w.-]+\.md)(?:#[^)]*)?\)/g)].map((x) => x[1]!).filter((f) => f !== 'README.md');
    for (const f of linked) expect(existsSync(join(root, f)), f).toBe(true);
    expect(new Set(m.files?.filter((f) => !f.startsWith('!')))).toEqual(new Set(['dist', 'cjs', 'README.md', 'CHANGELOG.md', 'LICENSE', ...linked]));
    expect(m.scripts?.prepack).toContain(`turbo run build --filter=${m.name}`);
  });

  it.each(tsDirs)('%s: sideEffects lists exactly the files that register classes with tfjs at import', (dir) => {
    const src = join(repo, 'packages', dir, 'src');
    const registering = sources(src)
      .filter((f) => /^\s*tf\.serialization\.registerClass\(/m.test(readFileSync(f, 'utf8')))
      .map((f) => f.slice(src.length + 1).replace(/\.ts$/, ''));
    const expected = registering.length === 0 ? false : registering.flatMap((f) => [`./dist/${f}.js`, `./src/${f}.ts`]);
    const actual = manifest(dir).sideEffects;
    if (expected === false) expect(actual).toBe(false);
    else expect([...(actual as string[])].sort()).toEqual(expected.sort());
  });

  it.each(tsDirs)('%s: @vib/core is a peer with a range (never a pinned dependency); sibling dependencies use ranges', (dir) => {
    const m = manifest(dir);
    for (const [name, spec] of Object.entries(m.dependencies ?? {})) {
      if (name.startsWith('@vib/')) expect(spec, `${name} in dependencies`).toBe('workspace:^');
    }
    if (m.name === '@vib/core') return;
    expect(m.dependencies?.['@vib/core']).toBeUndefined();
    // A package that never imports @vib/core (plain chart specs) needs no peer on it.
    const usesCore = sources(join(repo, 'packages', dir, 'src')).some((f) => /from '@vib\/core(\/[\w-]+)?'/.test(readFileSync(f, 'utf8')));
    if (!usesCore) return;
    expect(m.peerDependencies?.['@vib/core']).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(m.devDependencies?.['@vib/core']).toBe('workspace:*');
  });

  it('the old `source` condition is gone and the root script is `docs:build` (pnpm\'s built-in `pnpm docs` shadows a `docs` script)', () => {
    const rootManifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as Manifest;
    expect(rootManifest.scripts?.docs).toBeUndefined();
    expect(rootManifest.scripts?.['docs:check']).toContain('docs:build');
    for (const dir of tsDirs) expect(JSON.stringify(manifest(dir).exports)).not.toMatch(/"source"/);
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/`pnpm docs`/);
  });

  it.each(dirs.filter((d) => JSON.stringify(manifest(d).exports ?? {}).includes('@vib/source') && !(manifest(d) as { private?: boolean }).private))(
    '%s: the published exports are the workspace\'s without `@vib/source` (its src/ is not in the tarball)',
    (dir) => {
      const strip = (e: unknown): unknown =>
        e !== null && typeof e === 'object' ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== '@vib/source').map(([k, v]) => [k, strip(v)])) : e;
      const m = manifest(dir) as Manifest & { publishConfig?: { exports?: unknown } };
      expect(m.publishConfig?.exports).toEqual(strip(m.exports));
      expect(m.files?.some((f) => f === 'src' || f.startsWith('src/'))).toBe(false);
    },
  );
});

describe('light entries', () => {
  // What a tool may load without TensorFlow.js (the CLI's help and run store commands do): each entry's whole graph.
  it.each([
    ['core', 'src/errors/index.ts', '@vib/core/errors'],
    ['kit', 'src/presets.ts', '@vib/kit/presets'],
    ['tasks', 'src/limits.ts', '@vib/tasks/limits'],
    ['tasks', 'src/model-json.ts', '@vib/tasks/model-json'],
  ])('@vib/%s: %s imports neither TensorFlow.js nor zod nor another entry of a package', async (dir, entry, spec) => {
    const m = manifest(dir);
    expect((m.exports?.[`./${spec.split('/')[2]}`] as Record<string, string>)['@vib/source']).toBe(`./${entry}`);
    const result = await build({
      absWorkingDir: join(repo, 'packages', dir),
      entryPoints: [entry],
      bundle: true,
      platform: 'neutral',
      format: 'esm',
      write: false,
      conditions: ['@vib/source'],
      logLevel: 'silent',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => i.includes('node_modules'))).toEqual([]);
    // from sources only: its own folder, or @vib/core's errors
    for (const i of inputs) expect(i.startsWith('src/') || i.includes('core/src/errors/'), i).toBe(true);
  });
});

describe('browser-safe main entries', () => {
  it.each(['core', 'priors', 'layers', 'tasks'])('@vib/%s bundles for the browser from its sources with no node:* import', async (dir) => {
    const result = await build({
      absWorkingDir: join(repo, 'packages', dir),
      entryPoints: ['src/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      conditions: ['@vib/source'],
      external: ['@tensorflow/tfjs', 'zod'],
      logLevel: 'silent',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    expect(Object.keys(result.metafile.inputs).filter((i) => i.startsWith('node:'))).toEqual([]);
  });
});
