import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `vib train` records a run in a real store file, `vib serve` serves the built demo and the run API, and
// Chromium loads the run by its id. The CLI runs as real processes (as a user would run it).
const CHROMIUM = '/usr/bin/chromium';
const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(appDir, '../..');
const main = join(repo, 'apps/cli/src/main.ts');
const siteDir = join(repo, 'test-output/serve-run/site');
const hasChromium = existsSync(CHROMIUM);

function cli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--conditions=@vib/source', '--import', 'tsx', main, ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
}

function output(proc: ChildProcess): Promise<string> {
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += String(d)));
  proc.stderr!.on('data', (d: Buffer) => (err += String(d)));
  return new Promise((res, rej) => proc.on('exit', (code) => (code === 0 ? res(out) : rej(new Error(`vib exited ${code}: ${err}`)))));
}

interface TrainJson { runId: string; accuracy: number; rateBits: number; dataset: string }

describe.skipIf(!hasChromium)('vib serve + the demo\'s recorded-run control (Debian Chromium, headless)', () => {
  let root: string;
  let browser: Browser;
  let serve: ChildProcess;
  let url: string;
  let run: TrainJson;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'vib-serve-run-'));
    mkdirSync(siteDir, { recursive: true });
    const store = join(root, 'runs.sqlite');
    const train = output(cli(['train', '--preset', 'tishby-12bit', '--epochs', '2', '--max-train', '512', '--max-test', '256', '--backend', 'cpu',
      '--store', store, '--out', join(root, 'run'), '--no-plots', '--quiet', '--json']));
    await build({ root: appDir, configFile: join(appDir, 'vite.config.ts'), logLevel: 'error', build: { outDir: siteDir, emptyOutDir: true } });
    run = JSON.parse(await train) as TrainJson;
    serve = cli(['serve', '--port', '0', '--site', siteDir, '--store', store]);
    url = await new Promise<string>((res, rej) => {
      serve.stdout!.on('data', (d: Buffer) => {
        const m = /vib serve: (http:\S+)/.exec(String(d));
        if (m) res(m[1]!);
      });
      serve.on('exit', (code) => rej(new Error(`vib serve exited ${code}`)));
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    serve?.kill('SIGTERM');
    await rm(root, { recursive: true, force: true });
  });

  it('lists the recorded run, loads it by id and shows the numbers vib train recorded for it', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}index.html?backend=cpu&dataset=tishby-12bit&train=256&test=256&epochs=1`);
    await page.waitForFunction(() => (window as any).__vibDemo?.ready === true, null, { timeout: 60_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const listed = (await page.evaluate(() => (window as any).__vibDemo.runs.runs)) as { id: string; accuracy: number }[];
    expect(listed.map((r) => r.id)).toEqual([run.runId]);
    expect(listed[0]!.accuracy).toBe(run.accuracy);
    await expect(page.locator(`#run-ids option[value="${run.runId}"]`).getAttribute('label')).resolves.toMatch(/^train · tishby-12bit · β 0\.0001 · test acc \d+\.\d% · completed$/);

    // a bad id and an unknown one: the page's words, then the server's
    await page.fill('#run-id', 'not-an-id');
    await page.click('#run-load');
    await expect(page.locator('#load-status').textContent()).resolves.toBe('A run id is 4 to 12 hex digits from vib runs ls (it is "not-an-id").');
    await page.fill('#run-id', 'ffffffffffff');
    await page.click('#run-load');
    await page.waitForFunction(() => /no run ffffffffffff/.test(document.querySelector('#load-status')!.textContent ?? ''));

    // by a prefix of its id: the page evaluates the served model on the same 256 test examples
    await page.fill('#run-id', run.runId.slice(0, 6));
    await page.press('#run-id', 'Enter');
    await page.waitForFunction(() => {
      const st = document.querySelector('#load-status')!;
      return (window as any).__vibDemo.loader.summary !== null || (st.classList.contains('error') && !/ffffffffffff/.test(st.textContent ?? ''));
    }, null, { timeout: 60_000 });
    expect(await page.locator('#load-status').getAttribute('class')).not.toMatch(/error/);
    const summary = (await page.evaluate(() => (window as any).__vibDemo.loader.summary)) as { accuracy: number; rateBits: number };
    expect(summary.accuracy).toBeCloseTo(run.accuracy, 6);
    expect(summary.rateBits).toBeCloseTo(run.rateBits, 4);
    const status = await page.locator('#load-status').textContent();
    expect(status).toContain('classification on tishby-12bit');
    expect(status).toContain(`test rate ${run.rateBits.toFixed(2)} bits`);
    expect(status).toMatch(/; 256 test examples\.$/);
    await page.locator('#load-section').screenshot({ path: join(repo, 'test-output/serve-run/load-run.png') });
    console.info(`[serve e2e] run ${run.runId}: vib train recorded accuracy ${run.accuracy}, rate ${run.rateBits.toFixed(4)} bits; the page shows ${summary.accuracy}, ${summary.rateBits.toFixed(4)} bits`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('without the run API (a static host) the control is replaced by how to get it', async () => {
    const page = await browser.newPage();
    await page.route('**/api/runs', (r) => r.fulfill({ status: 404, body: 'not found' }));
    await page.goto(`${url}index.html?backend=cpu&dataset=tishby-12bit&train=256&test=64&epochs=1`);
    await page.waitForFunction(() => (window as any).__vibDemo?.ready === true, null, { timeout: 60_000 });
    expect(await page.evaluate(() => (window as any).__vibDemo.runs.available)).toBe(false);
    expect(await page.locator('#run-id').count()).toBe(0);
    await expect(page.locator('#run-hint').textContent()).resolves.toMatch(/open this page through vib serve/);
    await page.close();
  });
});
