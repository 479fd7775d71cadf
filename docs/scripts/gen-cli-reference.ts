/**
 * Write docs/guides/cli-reference.md from the CLI's command definitions.
 * Run: `pnpm docs:cli` (node --conditions=@vib/source --import tsx docs/scripts/gen-cli-reference.ts).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderCliReference } from './cli-reference.js';

const target = fileURLToPath(new URL('../guides/cli-reference.md', import.meta.url));
writeFileSync(target, renderCliReference());
process.stdout.write(`wrote ${target}\n`);
