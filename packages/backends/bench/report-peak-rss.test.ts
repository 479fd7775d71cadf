import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { epochPeakParts, type EpochRun } from './epoch.js';

const preload = fileURLToPath(new URL('./report-peak-rss.mjs', import.meta.url));

/** The figures a run printed: the name after `VIB_PEAK_` (RSS_KIB, V8_HEAP_KIB, EXTERNAL_KIB) → MiB. */
function peaks(stderr: string): Record<string, number> {
  return Object.fromEntries([...stderr.matchAll(/VIB_PEAK_(\w+)_KIB (\d+)/g)].map((m) => [m[1] as string, Number(m[2]) / 1024]));
}

describe("the epoch row's memory report", () => {
  it('prints the peaks of V8 heap and external memory beside the peak RSS, each holding what the process held', () => {
    // 96 MiB of ArrayBuffer and about 40 MiB of JavaScript objects, held for half a second (five samples), then let
    // go and collected before the exit: only the samples saw them
    const script = `
      let bytes = new Uint8Array(96 * 2 ** 20); for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 1;
      let objects = Array.from({ length: 1_000_000 }, (_, i) => ({ i, s: 'x' + i }));
      setTimeout(() => { bytes = null; objects = null; gc(); gc(); }, 500);`;
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', preload, '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const p = peaks(r.stderr);
    expect(p['EXTERNAL']).toBeGreaterThanOrEqual(96);
    expect(p['V8_HEAP']).toBeGreaterThanOrEqual(30);
    expect((p['EXTERNAL'] ?? Infinity) + (p['V8_HEAP'] ?? Infinity)).toBeLessThanOrEqual((p['RSS'] ?? 0) + 16);
    expect(r.stderr).toMatch(/VIB_CLI_RUNS_AS other\n/);
  });

  it("sums vib's runs up as medians with their ranges, and says nothing where no run reported its parts", () => {
    const run = (v8HeapMiB: number, externalMiB: number): EpochRun => ({ seconds: 8, wallSeconds: 9, peakMiB: 360, accuracy: 0.85, parts: { v8HeapMiB, externalMiB } });
    expect(epochPeakParts([run(71.2, 220.4), run(69.6, 204.1), run(72.4, 212.6)])).toBe(
      "V8's heap 71 MiB [70–72], external memory (the wasm heap among it) 213 MiB [204–220]; the rest of the peak RSS is native memory, shared memory and code",
    );
    expect(epochPeakParts([run(70, 200), run(74, 210)])).toMatch(/^V8's heap 72 MiB \[70–74\], external memory \(the wasm heap among it\) 205 MiB \[200–210\];/);
    expect(epochPeakParts([{ seconds: 8, wallSeconds: 9, peakMiB: 360, accuracy: 0.85 }])).toBe('');
  });
});
