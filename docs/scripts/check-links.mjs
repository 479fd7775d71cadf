#!/usr/bin/env node
// @ts-check
/**
 * Internal link checker for the documentation: Markdown sources and the built HTML site.
 *
 * Usage: node docs/scripts/check-links.mjs <file-or-dir>...
 * Walks every .md and .html file under the given paths (skipping node_modules and dist) and
 * checks every relative link: the target file must exist and, when the link has a #fragment,
 * the target must define that anchor (a Markdown heading's slug, or an HTML id/name).
 * External links (http:, https:, mailto:, ...) are not fetched. Exits 1 when a link is broken.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.turbo']);

/**
 * The anchor a Markdown heading gets (GitHub's and TypeDoc's rule for plain text headings):
 * lower case, punctuation dropped, spaces turned into hyphens.
 * @param {string} heading - the heading text, without the leading #s
 * @returns {string} the slug
 */
export function slugify(heading) {
  return heading
    .trim()
    .replace(/`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/**
 * @param {string} root
 * @returns {string[]}
 */
function walk(root) {
  const st = statSync(root);
  if (st.isFile()) return [root];
  /** @type {string[]} */
  const out = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name)) continue;
    const p = join(root, entry.name);
    // A built TypeDoc site copies linked files verbatim into media/ (next to its index.html);
    // those copies are downloads, not pages, so only the site's HTML is checked there.
    if (entry.isDirectory() && entry.name === 'media' && existsSync(join(root, 'index.html'))) {
      out.push(...walk(p).filter((f) => f.endsWith('.html')));
    } else if (entry.isDirectory()) out.push(...walk(p));
    else if (/\.(md|html)$/.test(entry.name)) out.push(p);
  }
  return out;
}

/** Strip fenced code blocks and inline code, where link syntax is only text. */
function stripCode(/** @type {string} */ md) {
  return md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** @type {Map<string, Set<string>>} */
const anchorCache = new Map();

/**
 * Anchors defined by a file: heading slugs (Markdown, with -1, -2 for repeats) or id/name attributes (HTML).
 * @param {string} file
 * @returns {Set<string>}
 */
export function anchorsOf(file) {
  const cached = anchorCache.get(file);
  if (cached) return cached;
  const text = readFileSync(file, 'utf8');
  const anchors = new Set();
  if (extname(file) === '.md') {
    /** @type {Map<string, number>} */
    const seen = new Map();
    for (const m of stripCode(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
      const base = slugify(m[1] ?? '');
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  } else {
    for (const m of text.matchAll(/\s(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  anchorCache.set(file, anchors);
  return anchors;
}

/**
 * Relative link targets in a file.
 * @param {string} file
 * @returns {string[]}
 */
export function linksOf(file) {
  const text = readFileSync(file, 'utf8');
  /** @type {string[]} */
  const links = [];
  if (extname(file) === '.md') {
    const md = stripCode(text);
    for (const m of md.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push(m[1] ?? '');
    for (const m of md.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)) links.push(m[1] ?? '');
  } else {
    for (const m of text.matchAll(/\s(?:href|src)="([^"]*)"/g)) links.push((m[1] ?? '').replace(/&amp;/g, '&'));
  }
  return links.filter((l) => l.length > 0 && !/^[a-z][a-z0-9+.-]*:/i.test(l) && !l.startsWith('//'));
}

/**
 * @typedef {object} BrokenLink
 * @property {string} file - the file holding the link
 * @property {string} link - the link as written
 * @property {string} reason - what is wrong
 */

/**
 * Check every relative link in the .md and .html files under the given paths.
 * @param {string[]} paths - files or directories
 * @returns {{ files: number, links: number, broken: BrokenLink[] }}
 */
export function checkLinks(paths) {
  const files = paths.flatMap((p) => walk(resolve(p)));
  /** @type {BrokenLink[]} */
  const broken = [];
  let links = 0;
  for (const file of files) {
    for (const link of linksOf(file)) {
      links++;
      const [rawPath = '', fragment] = link.split('#', 2);
      const path = decodeURIComponent(rawPath.split('?')[0] ?? '');
      const target = path === '' ? file : resolve(dirname(file), path);
      if (!existsSync(target)) {
        broken.push({ file, link, reason: `no file ${relative(process.cwd(), target)}` });
        continue;
      }
      if (fragment === undefined || fragment === '' || statSync(target).isDirectory()) continue;
      if (!/\.(md|html)$/.test(target)) continue;
      if (!anchorsOf(target).has(decodeURIComponent(fragment))) {
        broken.push({ file, link, reason: `no anchor #${fragment} in ${relative(process.cwd(), target)}` });
      }
    }
  }
  return { files: files.length, links, broken };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const paths = process.argv.slice(2).filter((p) => existsSync(p));
  if (paths.length === 0) {
    process.stderr.write('usage: check-links.mjs <file-or-dir>... (none of the given paths exist)\n');
    process.exit(2);
  }
  const { files, links, broken } = checkLinks(paths);
  for (const b of broken) process.stderr.write(`${relative(process.cwd(), b.file)}: broken link "${b.link}": ${b.reason}\n`);
  process.stdout.write(`checked ${links} internal links in ${files} files: ${broken.length} broken\n`);
  process.exit(broken.length > 0 ? 1 : 0);
}
