/**
 * A minimal WebAssembly binary emitter: enough to build one module that imports a memory and exports
 * functions of i32/f32 parameters with v128 locals (the SIMD kernels of the pure tier). No toolchain needed.
 */

/** Value types of the WebAssembly binary format. */
export const T = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;

/** Opcodes used by the kernels (SIMD ones are emitted with {@link simd}). */
export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, void: 0x40,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Load: 0x28, f32Load: 0x2a, i32Store: 0x36, f32Store: 0x38, i32Const: 0x41, f32Const: 0x43,
  i32Eqz: 0x45, i32Eq: 0x46, f32Ne: 0x5c, i32LtU: 0x49, i32GeU: 0x4f, i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32DivU: 0x6e, i32RemU: 0x70, i32Popcnt: 0x69, i32And: 0x71, i32Shl: 0x74, i32ShrU: 0x76,
  select: 0x1b,
  f32Sqrt: 0x91, f32Add: 0x92, f32Sub: 0x93, f32Mul: 0x94, f32Div: 0x95,
  f64Const: 0x44, f64Add: 0xa0, f32DemoteF64: 0xb6, f64PromoteF32: 0xbb,
} as const;

/** SIMD sub-opcodes (after the 0xfd prefix). */
export const SIMD = {
  load: 0x00, store: 0x0b, shuffle: 0x0d, f32x4Splat: 0x13,
  f32x4Sqrt: 0xe3, f32x4Add: 0xe4, f32x4Sub: 0xe5, f32x4Mul: 0xe6, f32x4Div: 0xe7,
} as const;

/**
 * Unsigned LEB128 encoding.
 * @param n - a non-negative integer below 2³²
 * @returns the bytes
 */
export function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/**
 * Signed LEB128 encoding of a 32-bit integer.
 * @param n - an integer in [−2³¹, 2³¹)
 * @returns the bytes
 */
export function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/**
 * A SIMD instruction: the 0xfd prefix, the LEB128 sub-opcode, and its immediates.
 * @param op - sub-opcode
 * @param imm - immediates (memarg or shuffle lanes)
 * @returns the bytes
 */
export function simd(op: number, ...imm: number[]): number[] {
  return [0xfd, ...uleb(op), ...imm];
}

/**
 * i8x16.shuffle of two f32x4 vectors by float lanes (0–3 from the first operand, 4–7 from the second).
 * @param lanes - four float lane indices
 * @returns the instruction bytes
 */
export function shuffleF32(lanes: readonly [number, number, number, number]): number[] {
  return simd(SIMD.shuffle, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));
}

/** One exported function: parameter types, extra locals, and the body (without the final `end`). */
export interface WasmFunction {
  readonly name: string;
  readonly params: readonly number[];
  readonly locals: readonly number[];
  readonly body: readonly number[];
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const str = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));
const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];

/**
 * Encode a module that imports `env.mem` (a memory of at least one page) and exports `fns` (no results).
 * @param fns - the functions
 * @param sharedMemory - import a shared memory (the threaded wasm builds' heap; limits 1…65536 pages, as the
 *   import's type must match the memory's sharedness)
 * @returns the module bytes
 */
export function emitModule(fns: readonly WasmFunction[], sharedMemory = false): Uint8Array<ArrayBuffer> {
  const types = section(1, vec(fns.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0])));
  const limits = sharedMemory ? [0x03, 0x01, ...uleb(65536)] : [0x00, 0x01];
  const imports = section(2, vec([[...str('env'), ...str('mem'), 0x02, ...limits]]));
  const funcs = section(3, vec(fns.map((_, i) => uleb(i))));
  const exports = section(7, vec(fns.map((f, i) => [...str(f.name), 0x00, ...uleb(i)])));
  const bodies = fns.map((f) => {
    const groups: number[][] = [];
    for (const t of f.locals) {
      const last = groups.at(-1);
      if (last && last[1] === t) last[0] = (last[0] as number) + 1;
      else groups.push([1, t]);
    }
    const body = [...vec(groups.map(([n, t]) => [...uleb(n as number), t as number])), ...f.body, OP.end];
    return [...uleb(body.length), ...body];
  });
  const code = section(10, vec(bodies));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...funcs, ...exports, ...code]);
}
