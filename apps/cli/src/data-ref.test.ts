import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from '@vib/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { looksLikePath, resolveDataFlag } from './data-ref.js';
import { createCliRegistry } from './registry.js';

let registry: Registry;
let dir = '';
beforeAll(async () => {
  registry = await createCliRegistry();
  dir = await mkdtemp(join(tmpdir(), 'vib-data-ref-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** The error resolveDataFlag rejects with: exit code and message. */
async function refused(value: string, flag?: string): Promise<{ exitCode: unknown; message: string }> {
  const e = await resolveDataFlag(value, registry, undefined, flag).then(() => null, (err: unknown) => err);
  if (e === null) throw new Error(`accepted ${value}`);
  return { exitCode: (e as { details?: Record<string, unknown> }).details?.['exitCode'], message: (e as Error).message };
}

describe('resolveDataFlag', () => {
  it('an unknown name is a usage error listing the registered datasets and suggesting the nearest', async () => {
    expect(await refused('mnsit')).toEqual({
      exitCode: 2,
      message: '--data mnsit: unknown dataset "mnsit" (did you mean "mnist"?): registered datasets are tishby-12bit, idx, fashion-mnist, csv, mnist; pass one of them, a folder of IDX files or a .csv file, or --plugin a module that registers "mnsit"',
    });
    expect((await refused('cifar-10')).message).toMatch(/^--data cifar-10: unknown dataset "cifar-10": registered datasets are /);
    expect((await refused('fashion-mnst', '--ood')).message).toMatch(/^--ood fashion-mnst: unknown dataset "fashion-mnst" \(did you mean "fashion-mnist"\?\)/);
  });

  it('a path that does not exist is a usage error that says so', async () => {
    for (const value of [join(dir, 'none'), 'digits.csv', './mnist']) {
      expect(await refused(value)).toEqual({
        exitCode: 2,
        message: `--data ${value}: no such file or folder: pass a .csv file, a folder of IDX files, or a registered dataset (tishby-12bit, idx, fashion-mnist, csv, mnist)`,
      });
    }
  });

  it('a registered name, a folder and a .csv file resolve as before; another file is refused (exit code 1)', async () => {
    expect(await resolveDataFlag('mnist', registry)).toEqual({ name: 'mnist' });
    expect(await resolveDataFlag(dir, registry)).toEqual({ name: 'idx', config: { dir } });
    const csv = join(dir, 'd.csv');
    await writeFile(csv, 'x,label\n1,0\n');
    expect(await resolveDataFlag(csv, registry, 'label')).toEqual({ name: 'csv', config: { path: csv, labelColumn: 'label' } });
    const txt = join(dir, 'd.txt');
    await writeFile(txt, '');
    expect(await refused(txt)).toEqual({ exitCode: undefined, message: `--data ${txt}: a file that is not .csv: pass a .csv file or a directory of IDX files` });
  });

  it('tells paths from names', () => {
    for (const p of ['data/x', '/abs', './x', '~/x', 'x.csv', 'C:\\data']) expect(looksLikePath(p)).toBe(true);
    for (const n of ['mnist', 'fashion-mnist', 'tishby-12bit']) expect(looksLikePath(n)).toBe(false);
  });
});
