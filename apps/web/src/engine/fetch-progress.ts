import { DataError } from '@vib/core';

/**
 * Fetch a file, reporting the fraction received (from Content-Length; unknown lengths report nothing until done).
 * @param url - what to fetch
 * @param onProgress - called with a fraction in [0, 1]
 * @returns the bytes
 * @throws {@link DataError} naming the URL and the HTTP status when the fetch fails
 */
export async function fetchWithProgress(url: string, onProgress: (fraction: number) => void): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (error) {
    throw new DataError(`could not fetch ${url} (${error instanceof Error ? error.message : String(error)}): serve the site over http, not from file://`);
  }
  if (!res.ok || !res.body) throw new DataError(`fetching ${url} failed with HTTP ${res.status}: is the site built completely (pnpm --filter @vib/web build)?`);
  const total = Number(res.headers.get('content-length')) || 0;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let got = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    got += value.length;
    if (total > 0) onProgress(Math.min(1, got / total));
  }
  onProgress(1);
  const out = new Uint8Array(got);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}
