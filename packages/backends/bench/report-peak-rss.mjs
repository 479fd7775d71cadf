// Preloaded (`node --import`) into the epoch row's CLI run: prints the process's peak resident memory at exit.
process.on('exit', () => process.stderr.write(`\nVIB_PEAK_RSS_KIB ${process.resourceUsage().maxRSS}\n`));
