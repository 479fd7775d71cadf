import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { defaultStorePath } from './default-path.js';
import { csvField, exportRuns } from './export-runs.js';
import { RunStore } from './run-store.js';

const dir = mkdtempSync(join(tmpdir(), 'vib-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('quotes CSV fields per RFC 4180', () => {
  expect(csvField('a,b')).toBe('"a,b"');
  expect(csvField('say "hi"')).toBe('"say ""hi"""');
  expect(csvField(null)).toBe('');
  expect(csvField(0.5)).toBe('0.5');
});

it('exports CSV with one row per run and summary columns, and JSONL with epochs', () => {
  const store = RunStore.open(join(dir, 'x.sqlite'));
  const id = store.startRun({ command: 'train', argv: ['train', '--tag', 'a=b'], beta: 0.01, dataset: 'mnist', tags: { a: 'b,c' } });
  store.logEpoch(id, 1, { loss: 2 });
  store.logEpoch(id, 2, { loss: 1 });
  store.finishRun(id, { status: 'completed', summary: { accuracy: 0.75, rateBits: 3 } });
  const csv = exportRuns(store, 'csv').trim().split('\n');
  expect(csv[0]).toBe('id,command,status,dataset,beta,seed,backend,tier,host,gitRev,startedAt,endedAt,tags,summary.accuracy,summary.rateBits');
  expect(csv[1]).toMatch(new RegExp(`^${id},train,completed,mnist,0.01,,,,[^,]+,,\\d{4}-[^,]+,\\d{4}-[^,]+,"a=b,c",0.75,3$`));
  const lines = exportRuns(store, 'jsonl').trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0]!)).toMatchObject({ id, tags: { a: 'b,c' }, epochs: [{ epoch: 1, metrics: { loss: 2 } }, { epoch: 2, metrics: { loss: 1 } }] });
  expect(() => exportRuns(store, 'xml' as never)).toThrow(/export format "xml" is not csv or jsonl/);
  store.close();
});

it('puts the default store in the XDG data folder unless VIB_STORE says otherwise', () => {
  expect(defaultStorePath({ VIB_STORE: '/s/r.sqlite', XDG_DATA_HOME: '/d' })).toBe('/s/r.sqlite');
  expect(defaultStorePath({ XDG_DATA_HOME: '/d' })).toBe('/d/vib/runs.sqlite');
  expect(defaultStorePath({ HOME: '/home/u' })).toBe('/home/u/.local/share/vib/runs.sqlite');
});
