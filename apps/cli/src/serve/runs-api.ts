import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join, posix } from 'node:path';
import { RunStore, type RunRecord } from '@vib/store';
import { checkModelJson, MAX_MODEL_JSON_BYTES } from '@vib/tasks/model-json';
import { ISOLATION_HEADERS, sendFileInside } from './site-files.js';

/** One run as `GET /api/runs` lists it: enough to pick it in the page. */
export interface ServedRun {
  readonly id: string;
  readonly command: string;
  readonly status: string;
  readonly dataset: string | null;
  readonly beta: number | null;
  readonly seed: number | null;
  readonly startedAt: number;
  readonly accuracy: number | null;
  readonly rateBits: number | null;
}

/** An API refusal: HTTP status and the one-line message sent as `{ "error": ... }`. */
class Refusal extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), 'cache-control': 'no-store', ...ISOLATION_HEADERS });
  res.end(text);
}

const num = (v: unknown) => (typeof v === 'number' ? v : null);

/**
 * The read-only run API of `vib serve`, over one run store file:
 * - `GET /api/runs`: the runs that saved a model, newest first (at most 500);
 * - `GET /api/runs/<id>/model/<file>`: a file of that run's model folder, but only `model.json` and the weight
 *   files its manifest names, and only inside that folder once symlinks are resolved.
 * Everything else is refused with a JSON `{ "error": ... }`. The store is opened read-only for each request, so
 * runs recorded while the server runs show up.
 */
export class RunsApi {
  /**
   * @param storeFile - the run store file
   */
  constructor(readonly storeFile: string) {}

  /**
   * Answer a request whose path starts with `/api/`.
   * @param method - the HTTP method
   * @param segments - the URL path's segments after `/api/`, each URL-decoded
   * @param res - the response
   */
  async handle(method: string, segments: readonly string[], res: ServerResponse): Promise<void> {
    try {
      if (method !== 'GET' && method !== 'HEAD') throw new Refusal(405, `${method} is not allowed: this API is read-only (GET)`);
      const [root, id, kind, ...rest] = segments;
      if (root !== 'runs') throw new Refusal(404, `no API at /api/${segments.join('/')}: use /api/runs or /api/runs/<id>/model/model.json`);
      if (id === undefined) return sendJson(res, 200, { store: this.storeFile, runs: this.withStore((s) => s.list({ limit: 500 })).filter((r) => modelFolder(r) !== null).map(served) });
      if (kind !== 'model' || rest.length === 0) throw new Refusal(404, `no API at /api/${segments.join('/')}: use /api/runs/<id>/model/model.json`);
      await this.sendModelFile(id, rest.join('/'), res);
    } catch (e) {
      if (e instanceof Refusal) sendJson(res, e.status, { error: e.message });
      else sendJson(res, 500, { error: (e as Error).message });
    }
  }

  private withStore<T>(body: (store: RunStore) => T): T {
    let store: RunStore;
    try {
      store = RunStore.open(this.storeFile, { readonly: true });
    } catch (e) {
      throw new Refusal(503, `the run store ${this.storeFile} cannot be read (${(e as Error).message.split(':')[0]}): record a run with vib train, or start vib serve with --store`);
    }
    try {
      return body(store);
    } finally {
      store.close();
    }
  }

  private async sendModelFile(id: string, file: string, res: ServerResponse): Promise<void> {
    if (!/^[0-9a-f]{4,12}$/.test(id)) throw new Refusal(400, `"${id}" is not a run id: give an id from vib runs ls (4 to 12 hex digits)`);
    const run = this.withStore((s) => {
      try {
        return s.get(id);
      } catch (e) {
        throw new Refusal(404, (e as Error).message);
      }
    });
    const folder = modelFolder(run);
    if (folder === null) throw new Refusal(404, `run ${run.id} (${run.command}, ${run.status}) saved no model`);
    const jsonPath = join(folder, 'model.json');
    const info = await stat(jsonPath).catch(() => null);
    if (!info?.isFile()) throw new Refusal(404, `run ${run.id}'s model folder ${folder} has no model.json: it was moved or deleted`);
    if (info.size > MAX_MODEL_JSON_BYTES) throw new Refusal(403, `run ${run.id}'s model.json is larger than ${MAX_MODEL_JSON_BYTES} bytes: refusing it`);
    let allowed: Set<string>;
    try {
      const checked = checkModelJson(jsonPath, JSON.parse(await readFile(jsonPath, 'utf8')));
      allowed = new Set(['model.json', ...checked.groups.flatMap((g) => g.paths.map((p) => posix.normalize(p)))]);
    } catch (e) {
      throw new Refusal(403, `run ${run.id}'s model.json is refused: ${(e as Error).message}`);
    }
    if (!allowed.has(file)) throw new Refusal(404, `run ${run.id} serves only model.json and the weight files its manifest names (${[...allowed].slice(1).join(', ')}), not "${file}"`);
    if (!(await sendFileInside(res, folder, file, { 'cache-control': 'no-store' }))) {
      throw new Refusal(404, `"${file}" is not a file inside run ${run.id}'s model folder`);
    }
  }
}

/**
 * A run's model folder as recorded (`model` artifact, else `dir/model`), or null when it saved none.
 * @param run - the run
 * @returns the folder path or null
 */
export function modelFolder(run: RunRecord): string | null {
  if (run.artifacts['model'] !== undefined) return run.artifacts['model'];
  if (run.artifacts['dir'] !== undefined && run.command === 'train') return join(run.artifacts['dir'], 'model');
  return null;
}

function served(r: RunRecord): ServedRun {
  return {
    id: r.id, command: r.command, status: r.status, dataset: r.dataset, beta: r.beta, seed: r.seed, startedAt: r.startedAt,
    accuracy: num(r.summary?.['accuracy']), rateBits: num(r.summary?.['rateBits']),
  };
}
