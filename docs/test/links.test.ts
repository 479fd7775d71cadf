import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations (it is checked with // @ts-check)
import { checkLinks, slugify } from '../scripts/check-links.mjs';

interface Broken { file: string; link: string; reason: string }
const check = checkLinks as (paths: string[]) => { files: number; links: number; broken: Broken[] };
const slug = slugify as (heading: string) => string;

const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('internal links of the Markdown docs', () => {
  it('the guides, the example plugin and every package README have no broken internal link', () => {
    const paths = ['docs/guides', 'docs/examples', 'packages/core/README.md', 'packages/priors/README.md',
      'packages/layers/README.md', 'packages/tasks/README.md', 'packages/data/README.md', 'packages/kit/README.md']
      .map((p) => join(repo, p));
    const { files, links, broken } = check(paths);
    expect(broken.map((b) => `${b.file}: ${b.link} (${b.reason})`)).toEqual([]);
    expect(files).toBeGreaterThanOrEqual(10); // the guides exist and were walked
    expect(links).toBeGreaterThan(20);
  });
});

describe('the link checker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vib-links-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('slugs headings the way GitHub and TypeDoc do', () => {
    expect(slug('The math: VAE, IB and VIB')).toBe('the-math-vae-ib-and-vib');
    expect(slug('Choosing `β` (rate weight)')).toBe('choosing-β-rate-weight');
  });

  it('reports a missing file and a missing anchor, and accepts good links, in Markdown and HTML', () => {
    writeFileSync(join(dir, 'a.md'), [
      '# Title', '## Second part', '[ok](./b.md#target-here)', '[self](#second-part)',
      '[gone](./missing.md)', '[bad anchor](./b.md#nope)', '[web](https://example.org/x)',
      '```md', '[inside code](./not-checked.md)', '```',
    ].join('\n'));
    writeFileSync(join(dir, 'b.md'), '# Target here\n');
    writeFileSync(join(dir, 'c.html'), '<a href="a.md">x</a><a href="d.html#x">y</a><img src="none.png"><p id="x"></p>');
    writeFileSync(join(dir, 'd.html'), '<h2 id="x">x</h2>');
    const { broken } = check([dir]);
    expect(broken.map((b) => b.link).sort()).toEqual(['./b.md#nope', './missing.md', 'none.png']);
  });
});
