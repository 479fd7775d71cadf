// Preloaded (`node --import`) into the epoch row's CLI run: prints the process's peak resident memory at exit, and
// the peaks of two of its parts, sampled every 100 ms: V8's heap (`heapTotal`: JavaScript objects) and the memory
// V8 counts as external (ArrayBuffers and the backing of a non-shared WebAssembly.Memory: the wasm backend's heap).
// What the peak RSS holds beyond them is native memory (the addon's and glibc's), shared memory and code. Peaks
// between two samples can be missed; the RSS peak is the kernel's own.
// With it, which CLI ran: `compiled` or `sources` as scripts/vib.mjs chose, else `other` (a bundled CLI).
const peak = { heapTotal: 0, external: 0 };
const sample = () => {
  const m = process.memoryUsage();
  peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
  peak.external = Math.max(peak.external, m.external);
};
setInterval(sample, 100).unref();
process.on('exit', () => {
  sample();
  const runsAs = globalThis[Symbol.for('vib.cliRunsAs')] ?? 'other';
  const kib = (bytes) => Math.round(bytes / 1024);
  process.stderr.write(
    `\nVIB_PEAK_RSS_KIB ${process.resourceUsage().maxRSS}\nVIB_PEAK_V8_HEAP_KIB ${kib(peak.heapTotal)}\nVIB_PEAK_EXTERNAL_KIB ${kib(peak.external)}\nVIB_CLI_RUNS_AS ${runsAs}\n`,
  );
});
