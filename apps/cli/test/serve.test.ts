import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore } from '@vib/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVibServer, type VibServer } from '../src/serve/vib-server.js';
import { errorLines, vib } from './helpers.js';

let root: string;
let server: VibServer;
const ids: Record<string, string> = {};

/** A GET with the path sent exactly as given (no client-side normalization of `..`). */
function get(path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += String(d)));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const manifest = (paths: string[]) => JSON.stringify({ modelTopology: { class_name: 'Sequential' }, weightsManifest: [{ paths, weights: [{ name: 'w', shape: [2], dtype: 'float32' }] }] });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vib-serve-'));
  const site = join(root, 'site');
  await mkdir(join(site, 'assets'), { recursive: true });
  await writeFile(join(site, 'index.html'), '<!doctype html><title>demo</title>');
  await writeFile(join(site, 'assets', 'app.js'), 'export {};');
  await writeFile(join(root, 'secret.txt'), 'not for the web');
  const store = RunStore.open(join(root, 'runs.sqlite'));
  const add = async (name: string, files: Record<string, string>) => {
    const dir = join(root, name, 'model');
    await mkdir(dir, { recursive: true });
    for (const [f, text] of Object.entries(files)) await writeFile(join(dir, f), text);
    const id = store.startRun({ command: 'train', argv: ['train'], dataset: 'tishby-12bit', beta: 0.001 });
    store.addArtifact(id, 'dir', join(root, name));
    store.addArtifact(id, 'model', dir);
    store.finishRun(id, { status: 'completed', summary: { accuracy: 0.75, rateBits: 1.5 } });
    ids[name] = id;
  };
  await add('good', { 'model.json': manifest(['weights.bin']), 'weights.bin': '12345678', 'notes.txt': 'not in the manifest' });
  await add('hostile', { 'model.json': manifest(['../../secret.txt']) });
  await add('linked', { 'model.json': manifest(['weights.bin']) });
  await symlink(join(root, 'secret.txt'), join(root, 'linked', 'model', 'weights.bin'));
  ids['eval'] = store.startRun({ command: 'eval', argv: ['eval'] });
  store.close();
  server = await startVibServer({ site, store: join(root, 'runs.sqlite'), port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('vib serve: the web demo and a read-only run API', () => {
  it('serves the site with the cross-origin isolation headers, and lists only runs that saved a model', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>demo</title>');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect((await get('/assets/app.js')).headers['content-type']).toMatch(/javascript/);
    const list = JSON.parse((await get('/api/runs')).body) as { store: string; runs: { id: string; accuracy: number; rateBits: number; dataset: string }[] };
    expect(list.store).toBe(join(root, 'runs.sqlite'));
    expect(list.runs.map((r) => r.id).sort()).toEqual([ids['good'], ids['hostile'], ids['linked']].sort());
    expect(list.runs.find((r) => r.id === ids['good'])).toMatchObject({ accuracy: 0.75, rateBits: 1.5, dataset: 'tishby-12bit' });
  });

  it('serves a run\'s model.json and the weights its manifest names, by id or prefix', async () => {
    const json = await get(`/api/runs/${ids['good']!.slice(0, 6)}/model/model.json`);
    expect(json.status).toBe(200);
    expect(JSON.parse(json.body).weightsManifest[0].paths).toEqual(['weights.bin']);
    const weights = await get(`/api/runs/${ids['good']}/model/weights.bin`);
    expect([weights.status, weights.body, weights.headers['content-length']]).toEqual([200, '12345678', '8']);
  });

  it('refuses unknown ids, files outside the manifest, traversal, symlinks out of the folder, and writes', async () => {
    const refusal = async (path: string, method = 'GET') => {
      const r = await get(path, method);
      return [r.status, (JSON.parse(r.body) as { error: string }).error];
    };
    const good = ids['good']!;
    expect(await refusal('/api/runs/ffffffffffff/model/model.json')).toEqual([404, `no run ffffffffffff in ${join(root, 'runs.sqlite')}: list runs with \`vib runs ls\` (and check --store)`]);
    expect(await refusal('/api/runs/..%2F..%2Fetc/model/model.json')).toEqual([400, '"../../etc" is not a run id: give an id from vib runs ls (4 to 12 hex digits)']);
    expect(await refusal(`/api/runs/${ids['eval']}/model/model.json`)).toEqual([404, `run ${ids['eval']} (eval, running) saved no model`]);
    const notListed = `run ${good} serves only model.json and the weight files its manifest names (weights.bin), not`;
    expect(await refusal(`/api/runs/${good}/model/notes.txt`)).toEqual([404, `${notListed} "notes.txt"`]);
    expect(await refusal(`/api/runs/${good}/model/..%2F..%2Fsecret.txt`)).toEqual([404, `${notListed} "../../secret.txt"`]);
    // dot segments, raw or %2E-encoded, are resolved by the URL parser first: the path then names no API
    expect(await refusal(`/api/runs/${good}/model/%2E%2E/%2E%2E/secret.txt`)).toEqual([404, 'no API at /api/runs/secret.txt: use /api/runs/<id>/model/model.json']);
    expect(await refusal(`/api/runs/${good}/model/../../../secret.txt`)).toEqual([404, 'no API at /api/secret.txt: use /api/runs or /api/runs/<id>/model/model.json']);
    const [status, why] = await refusal(`/api/runs/${ids['hostile']}/model/..%2F..%2Fsecret.txt`);
    expect(status).toBe(403);
    expect(why).toMatch(/model\.json is refused: .*weights path "\.\.\/\.\.\/secret\.txt"/);
    expect(await refusal(`/api/runs/${ids['linked']}/model/weights.bin`)).toEqual([404, `"weights.bin" is not a file inside run ${ids['linked']}'s model folder`]);
    expect(await refusal('/api/runs', 'POST')).toEqual([405, 'POST is not allowed: this API is read-only (GET)']);
    for (const path of ['/..%2Fsecret.txt', '/../secret.txt', '/%2e%2e/secret.txt']) expect((await get(path)).status).toBe(404);
  });

  it('says what to do when the site is not built or the port is bad', async () => {
    const missing = await vib('serve', '--site', join(root, 'nowhere'), '--port', '0');
    expect(errorLines(missing.stderr)).toEqual([`vib: error: ${join(root, 'nowhere')} holds no index.html (the web demo is not built): run \`pnpm --filter @vib/web build\`, or pass --site <folder of a built demo>`]);
    const port = await vib('serve', '--port', '70000');
    expect(errorLines(port.stderr)).toEqual(['vib: error: --port 70000: expected a port number from 0 to 65535 (0: any free port), e.g. --port 8080']);
  });
});
