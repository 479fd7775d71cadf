import { readEnv } from '../environment.js';

/**
 * Whether the pure tier's products use relaxed SIMD's `f32x4.relaxed_madd` (x·y + z, one rounding where the CPU
 * fuses it) rather than `f32x4.mul` then `f32x4.add`. Decided once per process, before the SIMD module is first
 * compiled, so that every instance of the module (each backend's, each helper thread's) multiplies the same way.
 */
export interface WasmFmaStatus {
  /** The products' terms are relaxed_madd. */
  readonly madd: boolean;
  /** relaxed_madd rounds once here (checked on values where one rounding and two differ). */
  readonly fused: boolean;
  /** Why, in words (for the tier's reason). */
  readonly reason: string;
}

/** `f(x, y, z)` = lane 0 of relaxed_madd(splat x, splat y, splat z): validates only where relaxed SIMD is enabled. */
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7d, 0x7d, 0x7d, 0x01, 0x7d, // type: (f32 f32 f32) → f32
  0x03, 0x02, 0x01, 0x00, // one function of that type
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export it as "f"
  0x0a, 0x16, 0x01, 0x14, 0x00,
  0x20, 0x00, 0xfd, 0x13, 0x20, 0x01, 0xfd, 0x13, 0x20, 0x02, 0xfd, 0x13, // splat each argument
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd
  0xfd, 0x1f, 0x00, // f32x4.extract_lane 0
  0x0b,
]);

/** x = y = 1 + 2⁻¹²: x·y = 1 + 2⁻¹¹ + 2⁻²⁴, whose 2⁻²⁴ a float32 rounding drops; so x·y − 1 is 2⁻¹¹ + 2⁻²⁴ fused, 2⁻¹¹ not. */
const PROBE_X = 1 + 2 ** -12;

/** Node's `v8` module without importing it (absent in browsers; `process.getBuiltinModule` is Node ≥ 20.16). */
function nodeV8(): { setFlagsFromString(flags: string): void } | undefined {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return p?.getBuiltinModule?.('node:v8') as { setFlagsFromString(flags: string): void } | undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decide afresh (the environment variable, relaxed SIMD's availability, the probe): {@link wasmFma} keeps the first
 * answer for the process. Where the engine lacks relaxed SIMD in Node, this enables V8's flag for it.
 * @returns the decision
 */
export function decideWasmFma(): WasmFmaStatus {
  const off = (reason: string): WasmFmaStatus => ({ madd: false, fused: false, reason });
  if (typeof WebAssembly !== 'object') return off('no WebAssembly');
  if (readEnv('VIB_WASM_FMA') === '0') return off('products multiply, then add (VIB_WASM_FMA=0)');
  let how = 'relaxed SIMD';
  const none = 'products multiply, then add (this engine has no relaxed SIMD)';
  if (!WebAssembly.validate(PROBE)) {
    // Node 20's V8 (11.3) has relaxed SIMD behind a flag; Node 22's has it on, as Chromium has since version 114.
    // The flag only lets modules validate that use its instructions; it is read when a module is compiled.
    const v8 = nodeV8();
    if (!v8) return off(none);
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    if (!WebAssembly.validate(PROBE)) return off(none);
    how = "relaxed SIMD, enabled with V8's --experimental-wasm-relaxed-simd";
  }
  let fused: boolean;
  try {
    const f = (new WebAssembly.Instance(new WebAssembly.Module(PROBE)).exports as { f(x: number, y: number, z: number): number }).f;
    fused = f(PROBE_X, PROBE_X, -1) !== 2 ** -11;
  } catch (error) {
    // validated, yet not compiled here (a page's policy on synchronous compiling, say): keep the safe instruction
    return off(`products multiply, then add (relaxed SIMD validated but its probe did not run: ${error instanceof Error ? error.message : String(error)})`);
  }
  return { madd: true, fused, reason: `products as f32x4.relaxed_madd (${how}; ${fused ? 'fused: one rounding' : 'not fused on this CPU: two roundings'})` };
}

let decided: WasmFmaStatus | undefined;

/**
 * How the pure tier's products multiply and add in this process: relaxed_madd where the engine has relaxed SIMD (in
 * Node 20.16 and later 20.x, after enabling V8's flag for it), unless `VIB_WASM_FMA=0`. Decided on the first call.
 * @returns the decision
 */
export function wasmFma(): WasmFmaStatus {
  decided ??= decideWasmFma();
  return decided;
}
