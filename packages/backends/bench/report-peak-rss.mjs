// Preloaded (`node --import`) into the epoch row's CLI run: prints the process's peak resident memory at exit.
// With it, which CLI ran: `compiled` or `sources` as scripts/vib.mjs chose, else `other` (a bundled CLI).
process.on('exit', () => {
  const runsAs = globalThis[Symbol.for('vib.cliRunsAs')] ?? 'other';
  process.stderr.write(`\nVIB_PEAK_RSS_KIB ${process.resourceUsage().maxRSS}\nVIB_CLI_RUNS_AS ${runsAs}\n`);
});
