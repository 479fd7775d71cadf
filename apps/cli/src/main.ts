import { runCli } from './run-cli.js';

// The `vib` binary: run the program and exit with its code.
process.exitCode = await runCli(process.argv.slice(2));
