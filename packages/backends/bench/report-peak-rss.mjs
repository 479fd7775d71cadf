// Preloaded (`node --import`) into the epoch row's CLI run: prints the process's peak resident memory at exit, and
// the peaks of two of its parts, sampled every 100 ms: V8's heap (`heapTotal`: JavaScript objects) and the memory
// V8 counts as external (ArrayBuffers and the backing of a non-shared WebAssembly.Memory: the wasm backend's heap).
// What the peak RSS holds beyond them is native memory (the addon's and glibc's), shared memory and code. On Linux,
// the same samples read the kernel's split of the RSS by kind (/proc/self/status: anonymous memory, file-backed
// pages such as code and mapped libraries, shared memory), so that a peak which sits high says which kind grew.
// Peaks between two samples can be missed; the RSS peak is the kernel's own: on Linux its VmHWM, the high-water mark
// of this process's own memory since it started, not getrusage's maxRSS, which Linux carries across fork and exec
// (a process forked from a parent of 450 MiB reports at least that much: the bench's own process, by the epoch row,
// gave vib's epoch a peak of 457 MiB in every round where the epoch itself peaked at about 350).
// With it, which CLI ran: `compiled` or `sources` as scripts/vib.mjs chose, else `other` (a bundled CLI).
import { readFileSync } from 'node:fs';

const peak = { heapTotal: 0, external: 0 };
// the peaks of the RSS's kinds in KiB, by their names in /proc/self/status; none are printed where it cannot be read
const kinds = { RssAnon: 0, RssFile: 0, RssShmem: 0 };
let kindsRead = true;
/** /proc/self/status (Linux), or '' where there is none. */
const readStatus = () => {
  try {
    return readFileSync('/proc/self/status', 'utf8');
  } catch {
    return '';
  }
};
/** A field of that file (`Name:   123 kB`) in KiB, or NaN where it has none. */
const statusKib = (status, name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
const sampleKinds = (status) => {
  if (!kindsRead) return;
  for (const name of Object.keys(kinds)) {
    const kib = statusKib(status, name);
    if (!Number.isFinite(kib)) {
      kindsRead = false;
      return;
    }
    kinds[name] = Math.max(kinds[name], kib);
  }
};
const sample = (status = kindsRead ? readStatus() : '') => {
  const m = process.memoryUsage();
  peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
  peak.external = Math.max(peak.external, m.external);
  sampleKinds(status);
};
setInterval(sample, 100).unref();
process.on('exit', () => {
  // one read for the last sample and the peak: the kernel's VmHWM where there is one, else getrusage's maxRSS
  const status = readStatus();
  sample(status);
  const runsAs = globalThis[Symbol.for('vib.cliRunsAs')] ?? 'other';
  const hwm = statusKib(status, 'VmHWM');
  const rss = Number.isFinite(hwm) ? { kib: hwm, from: 'VmHWM' } : { kib: process.resourceUsage().maxRSS, from: 'maxRSS' };
  const kib = (bytes) => Math.round(bytes / 1024);
  const byKind = kindsRead ? `VIB_PEAK_RSS_ANON_KIB ${kinds.RssAnon}\nVIB_PEAK_RSS_FILE_KIB ${kinds.RssFile}\nVIB_PEAK_RSS_SHMEM_KIB ${kinds.RssShmem}\n` : '';
  process.stderr.write(
    `\nVIB_PEAK_RSS_KIB ${rss.kib}\nVIB_PEAK_RSS_FROM ${rss.from}\nVIB_PEAK_V8_HEAP_KIB ${kib(peak.heapTotal)}\nVIB_PEAK_EXTERNAL_KIB ${kib(peak.external)}\n${byKind}VIB_CLI_RUNS_AS ${runsAs}\n`,
  );
});
