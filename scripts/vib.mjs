#!/usr/bin/env node
// `pnpm vib …` from a checkout. Where the build that scripts/setup.sh or `pnpm build` recorded still matches the
// sources and the compiled files (scripts/built-cli.mjs), the compiled CLI runs: the same program as the installed
// `vib`, about 1.3 s quicker to start than the TypeScript sources. Otherwise the sources run through tsx with the
// `@vib/source` condition, as `node --conditions=@vib/source --import tsx apps/cli/src/main.ts` runs them, so an
// edited source always runs as edited. Either way in this one process, so that a signal reaches the CLI once (a
// second one ends a run at once). VIB_FROM_SOURCE=1 runs the sources whatever the build's state.
import { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cliToRun } from './built-cli.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Which of the two this process runs, for a preloaded script that reports on the run (the bench's epoch row reads it
 * at exit: a peak RSS of the sources through tsx is about 70 MiB above the compiled CLI's).
 */
const RUNS_AS = Symbol.for('vib.cliRunsAs');

if (cliToRun(root).fresh) {
  globalThis[RUNS_AS] = 'compiled';
  // the installed command's entry: it reads process.argv as main.ts does
  await import(pathToFileURL(`${root}apps/cli/bin/vib.js`).href);
} else {
  globalThis[RUNS_AS] = 'sources';
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  // registered after tsx, so it resolves first: every import resolves as under --conditions=@vib/source
  const addCondition = `export async function resolve(specifier, context, next) {
    return next(specifier, { ...context, conditions: [...new Set([...context.conditions, '@vib/source'])] });
  }`;
  register(`data:text/javascript,${encodeURIComponent(addCondition)}`);
  await import(pathToFileURL(`${root}apps/cli/src/main.ts`).href);
}
