import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { epochPeakParts, reportedPeakMiB, type EpochRun } from './epoch.js';

const preload = fileURLToPath(new URL('./report-peak-rss.mjs', import.meta.url));

// 96 MiB of ArrayBuffer and about 40 MiB of JavaScript objects, held for half a second (five samples), then let go
// and collected before the exit: only the samples saw them
const holdThenFree = `
  let bytes = new Uint8Array(96 * 2 ** 20); for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 1;
  let objects = Array.from({ length: 1_000_000 }, (_, i) => ({ i, s: 'x' + i }));
  setTimeout(() => { bytes = null; objects = null; gc(); gc(); }, 500);`;
const report = () => spawnSync(process.execPath, ['--expose-gc', '--import', preload, '-e', holdThenFree], { encoding: 'utf8', timeout: 60_000 });

describe("the epoch row's memory report", () => {
  it('prints the peaks of V8 heap and external memory beside the peak RSS, each holding what the process held', () => {
    const r = report();
    expect(r.status).toBe(0);
    const [rss, heap, external] = (['RSS', 'V8_HEAP', 'EXTERNAL'] as const).map((name) => reportedPeakMiB(r.stderr, name)) as [number, number, number];
    expect(external).toBeGreaterThanOrEqual(96);
    expect(heap).toBeGreaterThanOrEqual(30);
    expect(external + heap).toBeLessThanOrEqual(rss + 16);
    expect(r.stderr).toMatch(/VIB_CLI_RUNS_AS other\n/);
  });

  // the kernel's kinds, where it has /proc/self/status (Linux): the buffer and the objects are anonymous memory, node's
  // code is file-backed, and at the RSS's peak each kind was at most its own peak, so together they reach the RSS
  // (give or take a sample's growth)
  it.skipIf(!existsSync('/proc/self/status'))('prints the peaks of the RSS by kind, which add up to the peak RSS', () => {
    const r = report();
    expect(r.status).toBe(0);
    const [rss, anon, file, shmem] = (['RSS', 'RSS_ANON', 'RSS_FILE', 'RSS_SHMEM'] as const).map((name) => reportedPeakMiB(r.stderr, name)) as [number, number, number, number];
    expect(anon).toBeGreaterThanOrEqual(96 + 30);
    expect(file).toBeGreaterThan(5);
    expect(shmem).toBeGreaterThanOrEqual(0);
    expect(anon + file + shmem).toBeGreaterThanOrEqual(rss - 16);
    expect(anon + file + shmem).toBeLessThanOrEqual(rss + 16);
  });

  // Linux carries getrusage's maxRSS across fork and exec: a child of a parent holding 300 MiB reads at least that
  // much there, whatever it used itself; the report reads the kernel's VmHWM, the child's own high-water mark
  it.skipIf(!existsSync('/proc/self/status'))("reports the process's own peak, not the RSS its parent had when it forked it", () => {
    const child = `process.on('exit', () => process.stderr.write('MAXRSS_KIB ' + process.resourceUsage().maxRSS + '\\n'));`;
    const parent = `
      const held = new Uint8Array(300 * 2 ** 20); for (let i = 0; i < held.length; i += 4096) held[i] = 1;
      const r = require('node:child_process').spawnSync(process.execPath, ['--import', ${JSON.stringify(preload)}, '-e', ${JSON.stringify(child)}], { encoding: 'utf8' });
      process.stdout.write(r.stderr + 'HELD ' + held[4096]);`;
    const r = spawnSync(process.execPath, ['-e', parent], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/HELD 1$/);
    const inherited = Number(/MAXRSS_KIB (\d+)/.exec(r.stdout)?.[1]) / 1024;
    expect(inherited).toBeGreaterThanOrEqual(300); // the trap: the parent's RSS at the fork
    expect(r.stdout).toMatch(/VIB_PEAK_RSS_FROM VmHWM\n/);
    const own = reportedPeakMiB(r.stdout, 'RSS');
    expect(own).toBeGreaterThan(10);
    expect(own).toBeLessThan(150);
  });

  it("sums vib's runs up as medians with their ranges, and says nothing where no run reported its parts", () => {
    const run = (v8HeapMiB: number, externalMiB: number): EpochRun => ({ seconds: 8, wallSeconds: 9, peakMiB: 360, accuracy: 0.85, parts: { v8HeapMiB, externalMiB } });
    expect(epochPeakParts([run(71.2, 220.4), run(69.6, 204.1), run(72.4, 212.6)])).toBe(
      "V8's heap 71 [70–72] MiB, external memory (the wasm heap among it) 213 [204–220] MiB; the rest of the peak RSS is native memory, shared memory and code",
    );
    expect(epochPeakParts([run(70, 200), run(74, 210)])).toMatch(/^V8's heap 72 \[70–74\] MiB, external memory \(the wasm heap among it\) 205 \[200–210\] MiB;/);
    expect(epochPeakParts([{ seconds: 8, wallSeconds: 9, peakMiB: 360, accuracy: 0.85 }])).toBe('');
    // with the kernel's kinds from every run, their medians and ranges too; from only some runs, none
    const kinds = (anonMiB: number, fileMiB: number): EpochRun => ({ ...run(71, 210), parts: { v8HeapMiB: 71, externalMiB: 210, kinds: { anonMiB, fileMiB, shmemMiB: 0 } } });
    expect(epochPeakParts([kinds(300.2, 47.6), kinds(382.9, 48.1), kinds(296.4, 47.9)])).toMatch(
      /; the RSS by kind, each at its own peak: anonymous 300 \[296–383\] MiB, file-backed \(code, mapped libraries\) 48 \[48–48\] MiB, shared 0 \[0–0\] MiB$/,
    );
    expect(epochPeakParts([kinds(300, 48), run(71, 210)])).toMatch(/code$/);
  });
});
