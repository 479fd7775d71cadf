import { readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import { runCli } from '../src/run-cli.js';

/** Run the CLI in-process, capturing stdout and stderr. */
export async function vib(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
  });
  return { code, stdout, stderr };
}

/** Decode a PNG file and return its size. */
export async function pngSize(file: string): Promise<{ width: number; height: number }> {
  const png = PNG.sync.read(await readFile(file));
  return { width: png.width, height: png.height };
}

/** The width and height attributes of an SVG file's root element. */
export async function svgSize(file: string): Promise<{ width: number; height: number }> {
  const text = await readFile(file, 'utf8');
  const m = /<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"/.exec(text);
  if (!m) throw new Error(`no size in ${file}`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** Assert-friendly view of a failed run's stderr: its lines. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.length > 0);
}
