import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';

/**
 * Cross-origin isolation (COOP + COEP), which SharedArrayBuffer and so the threaded wasm backend need; the
 * web demo's dev and preview servers send the same pair (apps/web/vite.config.ts).
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/**
 * Whether `file` (both resolved through symlinks) lies inside `folder`.
 * @param folder - a real directory path
 * @param file - a real file path
 * @returns true when the file is below the folder
 */
export function isInside(folder: string, file: string): boolean {
  return file.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/**
 * Send one file with its content type, the isolation headers and any extra headers, if it is a regular file
 * inside `folder` once every symlink is resolved.
 * @param res - the response
 * @param folder - the folder it must be inside
 * @param relative - its path below the folder (already URL-decoded)
 * @param extra - more headers
 * @returns false (nothing sent) when there is no such file inside the folder
 */
export async function sendFileInside(res: ServerResponse, folder: string, relative: string, extra: Readonly<Record<string, string>> = {}): Promise<boolean> {
  if (relative.includes('\0')) return false;
  let real: string;
  try {
    const root = await realpath(folder);
    real = await realpath(join(root, relative));
    if (!isInside(root, real)) return false;
    const info = await stat(real);
    if (!info.isFile()) return false;
    res.writeHead(200, {
      'content-type': TYPES[extname(real)] ?? 'application/octet-stream',
      'content-length': String(info.size),
      ...ISOLATION_HEADERS,
      ...extra,
    });
  } catch {
    return false;
  }
  createReadStream(real).pipe(res);
  return true;
}
