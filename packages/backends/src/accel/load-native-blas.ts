import { detectEnvironment, readEnv } from '../environment.js';
import { optionalImport } from '../optional-import.js';
import type { NativeBlas } from './native-blas-module.js';

/** Result of {@link loadNativeBlas}. */
export type NativeBlasLoad = { readonly ok: true; readonly blas: NativeBlas; readonly note: string } | { readonly ok: false; readonly reason: string };

let cached: Promise<NativeBlasLoad> | undefined;

/**
 * OpenBLAS core type to force when the user set none: OpenBLAS 0.3.21's DYNAMIC_ARCH detects some
 * virtualized AVX-512 Xeons ("Intel(R) Xeon(R) Processor") as Prescott, ~3× slower at sgemm (measured).
 * @returns `SkylakeX`, `Haswell`, or undefined (leave detection to OpenBLAS)
 */
async function coreTypeHint(): Promise<string | undefined> {
  if (readEnv('OPENBLAS_CORETYPE') || readEnv('VIB_OPENBLAS_CORETYPE_AUTO') === '0') return undefined;
  try {
    const { readFileSync } = await import('node:fs');
    const flags = new Set(/^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim().split(/\s+/) ?? []);
    if (['avx512f', 'avx512bw', 'avx512vl', 'avx512dq'].every((f) => flags.has(f))) return 'SkylakeX';
    if (flags.has('avx2') && flags.has('fma')) return 'Haswell';
  } catch {
    // not Linux: OpenBLAS detects the core itself
  }
  return undefined;
}

/**
 * Load the optional `@vib/native-blas` addon once (Node only), applying the thread count and `VIB_NATIVE_GEMM`
 * (`avx512`, `avx2` or `openblas`: the kernel of the products, see the addon's `setGemmKernel`).
 * @param threads - the addon's threads to set; default: leave its count at load (OPENBLAS_NUM_THREADS, else the cores)
 * @returns the addon and a note, or why it is unavailable
 */
export function loadNativeBlas(threads?: number): Promise<NativeBlasLoad> {
  cached ??= (async (): Promise<NativeBlasLoad> => {
    if (detectEnvironment() !== 'node') return { ok: false, reason: 'the native tier needs Node (N-API); in a browser the pure tier is the best' };
    const hint = await coreTypeHint();
    const proc = (globalThis as { process?: { env: Record<string, string | undefined> } }).process;
    if (hint && proc) proc.env['OPENBLAS_CORETYPE'] = hint;
    const loaded = await optionalImport<NativeBlas>('@vib/native-blas');
    if (!loaded.ok) {
      return { ok: false, reason: `${loaded.reason} (optional: needs g++ and libopenblas-dev at install; see packages/native-blas)` };
    }
    const blas = loaded.module;
    const gemm = readEnv('VIB_NATIVE_GEMM');
    if (gemm !== undefined && gemm !== '') {
      if (gemm !== 'avx512' && gemm !== 'avx2' && gemm !== 'openblas') {
        return { ok: false, reason: `VIB_NATIVE_GEMM is "${gemm}": set it to avx512 or avx2 (the addon's own products, the default where the CPU has AVX-512, or AVX2 and FMA) or openblas, or unset it` };
      }
      blas.setGemmKernel?.(gemm);
    }
    const note = `${blas.config()}${hint ? ` (OPENBLAS_CORETYPE=${hint} set by @vib/backends)` : ''}`;
    return { ok: true, blas, note };
  })();
  return cached.then((r) => {
    if (r.ok && threads !== undefined) r.blas.setNumThreads(Math.max(1, Math.floor(threads)));
    return r;
  });
}
