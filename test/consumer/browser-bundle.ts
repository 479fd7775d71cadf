import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { chromium } from 'playwright-core';
import { serveDirectory } from '../../apps/web/test/static-server.js';

/** Debian's Chromium, as the other browser tests use it. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Bundle `entry` for the browser with esbuild, as a consumer would: every import bundled, no externals.
 * @param project - the consumer project (its node_modules resolve the imports)
 * @param entry - the entry file, relative to the project
 * @param outDir - where `app.js` and `index.html` go
 * @returns esbuild's metafile (which inputs went in)
 */
export async function bundleForBrowser(project: string, entry: string, outDir: string): Promise<Metafile> {
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: project,
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    outfile: join(outDir, 'app.js'),
    metafile: true,
    logLevel: 'silent',
  });
  writeFileSync(join(outDir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>vib consumer</title><script type="module" src="./app.js"></script>\n');
  return result.metafile;
}

/**
 * Serve `site` (with `extra` directories copied in), open it in headless Chromium, and collect the
 * page's console lines until one matches `done` or the page throws.
 * @param site - the directory with index.html and app.js
 * @param extra - directories to copy into the site, by name
 * @param done - the console line that ends the run
 * @param timeoutMs - how long to wait for it
 * @returns the console lines and page errors
 */
export async function runInChromium(
  site: string,
  extra: Record<string, string>,
  done: RegExp,
  timeoutMs: number,
): Promise<{ lines: string[]; errors: string[] }> {
  for (const [name, from] of Object.entries(extra)) cpSync(from, join(site, name), { recursive: true });
  const server = await serveDirectory(site);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  const lines: string[] = [];
  const errors: string[] = [];
  try {
    const page = await browser.newPage();
    const finished = new Promise<void>((resolve) => {
      page.on('console', (m) => {
        lines.push(m.text());
        if (done.test(m.text())) resolve();
      });
      page.on('pageerror', (e) => {
        errors.push(e.message);
        resolve();
      });
    });
    await page.goto(`${server.url}index.html`);
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
  } finally {
    await browser.close();
    await server.close();
  }
  return { lines, errors };
}
