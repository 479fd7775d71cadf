import type { CliIO } from '../cli-io.js';
import { DEFAULT_SITE, startVibServer } from '../serve/vib-server.js';
import { storePath, type StoreFlags } from '../store/store-flags.js';
import { usageError } from '../util/cli-error.js';

/** Flags of `vib serve`. */
export interface ServeFlags extends StoreFlags {
  readonly port: string;
  readonly host: string;
  readonly site?: string;
}

/**
 * `vib serve`: the web demo (built, with the cross-origin isolation headers threaded wasm needs) plus a
 * read-only API over the run store, so the page's "Load a recorded run" control can load a run by its id.
 * Prints the URL, then serves until SIGINT/SIGTERM.
 * @param flags - `--port`, `--host`, `--site`, `--store`
 * @param io - the URL goes to stdout
 * @returns when the server has stopped
 * @throws {@link CliError} on a bad port (exit code 2), a port in use, or a site that is not built
 */
export async function serveCommand(flags: ServeFlags, io: CliIO): Promise<void> {
  const port = Number(flags.port);
  if (!/^\d+$/.test(flags.port) || port > 65535) throw usageError(`--port ${flags.port}: expected a port number from 0 to 65535 (0: any free port), e.g. --port 8080`);
  const store = storePath(flags);
  const server = await startVibServer({ site: flags.site ?? DEFAULT_SITE, store, port, host: flags.host });
  io.stdout.write(`vib serve: ${server.url} (runs from ${store}; Ctrl-C stops)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
