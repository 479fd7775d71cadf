import { readFileSync } from 'node:fs';

/**
 * The code block that follows `<!-- consumer-test: <name> -->` in a Markdown file, so the test runs
 * exactly what the README shows.
 * @param file - the Markdown file
 * @param name - the marker's name
 * @returns the block's code
 * @throws when the marker or its code block is missing
 */
export function readmeSnippet(file: string, name: string): string {
  const text = readFileSync(file, 'utf8');
  const marker = `<!-- consumer-test: ${name} -->`;
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`${file} has no "${marker}": the consumer test runs the README's snippets, so keep the marker above the block`);
  const block = /^```[a-z]*\n([\s\S]*?)^```/m.exec(text.slice(at + marker.length));
  if (block?.[1] === undefined) throw new Error(`${file}: no code block follows "${marker}"`);
  return block[1];
}
