import { mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations (it is checked with // @ts-check)
import { extractSnippets, extractTsdocExamples } from '../scripts/extract-snippets.mjs';

interface Snippet { file: string; line: number; code: string; prelude?: string }
const fromMarkdown = extractSnippets as (file: string) => Snippet[];
const fromTsdoc = extractTsdocExamples as (file: string) => Snippet[];

const repo = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGES = ['core', 'priors', 'layers', 'tasks', 'data', 'kit', 'backends'];
/** The example packages under docs/examples (third-party plugins built from public exports). */
const EXAMPLES = ['vib-prior-student-t', 'vib-regression-example'];

/** Every Markdown file whose ```ts blocks must compile: the guides, the package READMEs, the example plugin's README. */
function markdownFiles(): string[] {
  const guides = readdirSync(join(repo, 'docs/guides')).filter((f) => f.endsWith('.md')).map((f) => join(repo, 'docs/guides', f));
  const readmes = ['core', 'priors', 'layers', 'tasks', 'data', 'kit'].map((p) => join(repo, 'packages', p, 'README.md'));
  return [...guides, ...readmes, ...EXAMPLES.map((e) => join(repo, 'docs/examples', e, 'README.md'))];
}

/** The non-test sources of the library packages and of the example plugin. */
function sourceFiles(): string[] {
  const roots = [...PACKAGES.map((p) => join(repo, 'packages', p, 'src')), ...EXAMPLES.map((e) => join(repo, 'docs/examples', e, 'src'))];
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
    );
  return roots.flatMap(walk);
}

/** Each export subpath of a package (`@vib/tasks`, `@vib/tasks/node`, ...) with the source file its `@vib/source` condition names. */
function subpathSources(dir: string): [string, string[]][] {
  const pkg = JSON.parse(readFileSync(join(repo, 'packages', dir, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | Record<string, string>>;
  };
  return Object.entries(pkg.exports).flatMap(([sub, target]) => {
    const src = typeof target === 'string' ? undefined : target['@vib/source'];
    return src === undefined ? [] : [[`${pkg.name}${sub.slice(1)}`, [join(repo, 'packages', dir, src)]] as [string, string[]]];
  });
}

/** Package names resolved to their sources, as the `@vib/source` export condition does for the packages themselves. */
const paths: Record<string, string[]> = {
  ...Object.fromEntries(PACKAGES.flatMap((p) => subpathSources(p))),
  ...Object.fromEntries(EXAMPLES.map((e) => [e, [join(repo, 'docs/examples', e, 'src/index.ts')]])),
  // the copy @vib/core itself uses (by its real path, so the types are the very same declarations)
  zod: [realpathSync(join(repo, 'packages/core/node_modules/zod/index.d.ts'))],
};


/** Names a barrel exports (following `export *`), split into values and types, read from the source text. */
function exportsOf(indexFile: string, seen = new Set<string>()): { values: Set<string>; types: Set<string> } {
  const values = new Set<string>();
  const types = new Set<string>();
  if (seen.has(indexFile)) return { values, types };
  seen.add(indexFile);
  const text = readFileSync(indexFile, 'utf8');
  for (const m of text.matchAll(/export\s+(type\s+)?\{([^}]*)\}/g)) {
    for (const raw of (m[2] ?? '').split(',')) {
      const item = raw.trim();
      if (item === '') continue;
      const isType = m[1] !== undefined || item.startsWith('type ');
      const name = item.replace(/^type\s+/, '').split(/\s+as\s+/).pop()?.trim() ?? '';
      (isType ? types : values).add(name);
    }
  }
  for (const m of text.matchAll(/export\s+\*\s+from\s+'([^']+)'/g)) {
    const sub = exportsOf(resolve(dirname(indexFile), (m[1] ?? '').replace(/\.js$/, '.ts')), seen);
    sub.values.forEach((v) => values.add(v));
    sub.types.forEach((t) => types.add(t));
  }
  return { values, types };
}

/**
 * The TSDoc convention: an example may use its own package's exports without importing them.
 * Returns the import line that brings the ones it uses (and does not import itself) into scope.
 */
function ownPackagePrelude(s: Snippet): string {
  const rel = relative(repo, s.file);
  const own = /^packages\/([a-z-]+)\//.exec(rel)?.[1];
  const example = /^docs\/examples\/([a-z-]+)\//.exec(rel)?.[1] ?? 'vib-prior-student-t';
  const [name, index] = own !== undefined
    ? [`@vib/${own}`, join(repo, 'packages', own, 'src/index.ts')]
    : [example, join(repo, 'docs/examples', example, 'src/index.ts')];
  const { values, types } = exportsOf(index);
  const imported = new Set([...s.code.matchAll(/import\s[^;]*?\{([^}]*)\}/g)].flatMap((m) =>
    (m[1] ?? '').split(',').map((x) => x.replace(/^\s*type\s+/, '').split(/\s+as\s+/).pop()?.trim() ?? '')));
  const uses = (n: string) => !imported.has(n) && new RegExp(`(^|[^\\w.$])${n.replace(/\$/g, '\\$')}([^\\w$]|$)`).test(s.code);
  const items = [...[...values].filter(uses), ...[...types].filter(uses).map((t) => `type ${t}`)];
  return items.length === 0 ? '' : `import { ${items.join(', ')} } from '${name}';`;
}

/**
 * Type-check snippets, each as its own module, with the repository's strict settings.
 * @returns one line per error: where in the docs, and the message
 */
function typecheck(snippets: Snippet[], dirName: string): string[] {
  const outDir = join(repo, 'docs/test/.snippets', dirName);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const where = new Map<string, Snippet>();
  const files = snippets.map((s, i) => {
    const name = join(outDir, `${relative(repo, s.file).replace(/[/.]/g, '_')}_L${s.line}_${i}.ts`);
    // A prelude goes on the same first line, so reported line numbers stay those of the docs.
    writeFileSync(name, `${s.prelude ?? ''}${s.code}\nexport {};\n`);
    where.set(name, s);
    return name;
  });
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    typeRoots: [join(repo, 'node_modules/@types')],
    customConditions: ['@vib/source'],
    baseUrl: repo,
    paths,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && where.has(d.file.fileName))
    .map((d) => {
      const s = where.get(d.file?.fileName ?? '') as Snippet;
      const { line } = d.file?.getLineAndCharacterOfPosition(d.start ?? 0) ?? { line: 0 };
      return `${relative(repo, s.file)}:${s.line + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

describe('code examples in the docs', () => {
  it('every ```ts block of the guides and READMEs type-checks against the packages\' sources', () => {
    const snippets = markdownFiles().flatMap(fromMarkdown);
    expect(snippets.length).toBeGreaterThanOrEqual(12); // the guides and READMEs have their examples
    expect(typecheck(snippets, 'markdown')).toEqual([]);
  });

  it('every self-contained TSDoc @example (one that imports what it uses) type-checks', () => {
    // An @example without an import statement is a fragment read in the context of its symbol
    // (e.g. `c.penalty(tf.scalar(5), null); // 0.05`); one with imports claims to stand alone,
    // except that it may use its own package's exports without importing them.
    const all = sourceFiles().flatMap(fromTsdoc);
    const standalone = all
      .filter((s) => /^\s*import\s/m.test(s.code))
      .map((s) => ({ ...s, prelude: ownPackagePrelude(s) }));
    expect(standalone.length).toBeGreaterThanOrEqual(20);
    expect(typecheck(standalone, 'tsdoc')).toEqual([]);
  });
});
