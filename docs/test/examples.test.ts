import { mkdirSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations (it is checked with // @ts-check)
import { extractSnippets } from '../scripts/extract-snippets.mjs';

interface Snippet { file: string; line: number; code: string }
const extract = extractSnippets as (file: string) => Snippet[];

const repo = fileURLToPath(new URL('../../', import.meta.url));
const outDir = join(repo, 'docs/test/.snippets');

/** Every Markdown file whose ```ts blocks must compile: the guides, the package READMEs, the example plugin's README. */
function markdownFiles(): string[] {
  const guides = readdirSync(join(repo, 'docs/guides')).filter((f) => f.endsWith('.md')).map((f) => join(repo, 'docs/guides', f));
  const readmes = ['core', 'priors', 'layers', 'tasks', 'data', 'kit'].map((p) => join(repo, 'packages', p, 'README.md'));
  return [...guides, ...readmes, join(repo, 'docs/examples/vib-prior-student-t/README.md')];
}

/** Package names resolved to their sources, as the `source` export condition does for the packages themselves. */
const paths: Record<string, string[]> = {
  ...Object.fromEntries(
    ['core', 'priors', 'layers', 'tasks', 'data', 'kit', 'backends'].map((p) => [`@vib/${p}`, [join(repo, 'packages', p, 'src/index.ts')]]),
  ),
  'vib-prior-student-t': [join(repo, 'docs/examples/vib-prior-student-t/src/index.ts')],
  // the copy @vib/core itself uses (by its real path, so the types are the very same declarations)
  zod: [realpathSync(join(repo, 'packages/core/node_modules/zod/index.d.ts'))],
};

describe('code examples in the docs', () => {
  it('every ```ts block of the guides and READMEs type-checks against the packages\' sources', () => {
    const snippets = markdownFiles().flatMap(extract);
    expect(snippets.length).toBeGreaterThanOrEqual(12); // the guides and READMEs have their examples
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const where = new Map<string, Snippet>();
    const files = snippets.map((s, i) => {
      const name = join(outDir, `${relative(repo, s.file).replace(/[/.]/g, '_')}_L${s.line}_${i}.ts`);
      // Each block is its own module (so top-level await and local names do not clash).
      writeFileSync(name, `${s.code}\nexport {};\n`);
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
      customConditions: ['source'],
      baseUrl: repo,
      paths,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file !== undefined && where.has(d.file.fileName))
      .map((d) => {
        const s = where.get(d.file?.fileName ?? '') as Snippet;
        const { line } = d.file?.getLineAndCharacterOfPosition(d.start ?? 0) ?? { line: 0 };
        return `${relative(repo, s.file)}:${s.line + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  });
});
