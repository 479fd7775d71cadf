import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CliError } from '../util/cli-error.js';
import { RunsApi } from './runs-api.js';
import { sendFileInside } from './site-files.js';

/** The web demo's build folder in this repository (apps/web/dist), seen from src/serve or dist/serve. */
export const DEFAULT_SITE = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/** Options of {@link startVibServer}. */
export interface VibServerOptions {
  /** The built web demo (a folder with index.html). */
  readonly site: string;
  /** The run store file the API reads. */
  readonly store: string;
  /** Port (0: any free one). */
  readonly port: number;
  /** Address to listen on. */
  readonly host: string;
}

/** A running server. */
export interface VibServer {
  /** Its base URL, e.g. `http://127.0.0.1:8080/`. */
  readonly url: string;
  /** Stop it. */
  close(): Promise<void>;
}

/**
 * Serve the built web demo with the cross-origin isolation headers, and the read-only run API of
 * {@link RunsApi} under `/api/`.
 * @param options - site folder, store file, port, host
 * @returns the running server
 * @throws {@link CliError} when the site has no index.html or the port cannot be taken
 */
export async function startVibServer(options: VibServerOptions): Promise<VibServer> {
  if (!(await stat(`${options.site}/index.html`).catch(() => null))?.isFile()) {
    throw new CliError(`${options.site} holds no index.html (the web demo is not built): run \`pnpm --filter @vib/web build\`, or pass --site <folder of a built demo>`);
  }
  const api = new RunsApi(options.store);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = new URL(req.url ?? '/', 'http://x').pathname;
      let segments: string[];
      try {
        segments = raw.split('/').slice(1).map((s) => decodeURIComponent(s));
      } catch {
        res.writeHead(400).end('bad URL encoding');
        return;
      }
      if (segments[0] === 'api') return api.handle(req.method ?? 'GET', segments.slice(1), res);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      const path = segments.join('/');
      if (segments.some((s) => s === '..' || s.includes('/') || s.includes('\\')) || !(await sendFileInside(res, options.site, path === '' || path.endsWith('/') ? `${path}index.html` : path))) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${raw}`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new CliError(`cannot listen on ${options.host}:${options.port} (${e.code ?? e.message}): pick another --port`)));
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
