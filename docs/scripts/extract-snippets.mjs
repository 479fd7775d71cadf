// @ts-check
/**
 * Extract the ```ts code blocks of Markdown files, so tests can type-check them.
 * A block whose first line is `// @docs-skip` is left out (for fragments that cannot stand alone).
 */
import { readFileSync } from 'node:fs';

/**
 * @typedef {object} Snippet
 * @property {string} file - the Markdown file
 * @property {number} line - 1-based line of the opening fence
 * @property {string} code - the block's code
 */

/**
 * The ```ts / ```typescript blocks of a Markdown file.
 * @param {string} file - path of the Markdown file
 * @returns {Snippet[]} the blocks, in order
 */
export function extractSnippets(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  /** @type {Snippet[]} */
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+)\s*(ts|typescript)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[2] ?? '```';
    const start = i;
    const body = [];
    for (i++; i < lines.length && !(lines[i] ?? '').trim().startsWith(fence); i++) body.push(lines[i] ?? '');
    const code = body.join('\n');
    if (!code.trimStart().startsWith('// @docs-skip')) out.push({ file, line: start + 1, code });
  }
  return out;
}

/**
 * The ```ts blocks of the `@example` tags in a TypeScript source file's TSDoc comments, with the
 * comment's leading `*` stripped.
 * @param {string} file - path of the .ts file
 * @returns {Snippet[]} the blocks, in order (line = the line of the opening fence)
 */
export function extractTsdocExamples(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  /** @type {Snippet[]} */
  const out = [];
  let inExample = false;
  for (let i = 0; i < lines.length; i++) {
    const text = (lines[i] ?? '').replace(/^\s*\*\s?/, '');
    if (/^\s*\/\*\*/.test(lines[i] ?? '') || /\*\//.test(lines[i] ?? '')) inExample = false;
    if (/^@example\b/.test(text)) inExample = true;
    else if (/^@\w+/.test(text)) inExample = false;
    if (!inExample || !/^```(ts|typescript)\s*$/.test(text.trim())) continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length; i++) {
      const t = (lines[i] ?? '').replace(/^\s*\*\s?/, '');
      if (t.trim().startsWith('```') || /\*\//.test(lines[i] ?? '')) break;
      body.push(t);
    }
    out.push({ file, line: start + 1, code: body.join('\n') });
  }
  return out;
}
