import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** What the bench's header says of the CPU: from /proc/cpuinfo's first processor (Linux). */
export interface CpuInfo {
  /** `model name`, e.g. "AMD EPYC" (a VM may hide the exact part). */
  readonly modelName: string;
  /** `vendor_id`, e.g. "AuthenticAMD". */
  readonly vendor: string;
  /** `cpu family` and `model`, in decimal as the kernel prints them. */
  readonly family: number;
  readonly model: number;
  /** `flags`. */
  readonly flags: ReadonlySet<string>;
}

/**
 * The first processor's fields of a /proc/cpuinfo text.
 * @param text - the file's text
 * @returns its fields, or null where one of them is missing (another OS's format, or a stripped file)
 */
export function parseCpuInfo(text: string): CpuInfo | null {
  const first = text.split(/\n\s*\n/)[0] ?? '';
  const field = (name: string): string | undefined => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(first)?.[1]?.trim();
  const [modelName, vendor, family, model, flags] = ['model name', 'vendor_id', 'cpu family', 'model', 'flags'].map(field);
  if (modelName === undefined || vendor === undefined || family === undefined || model === undefined || flags === undefined) return null;
  const [f, m] = [Number(family), Number(model)];
  if (!Number.isInteger(f) || !Number.isInteger(m)) return null;
  return { modelName, vendor, family: f, model: m, flags: new Set(flags.split(/\s+/)) };
}

/**
 * The Zen generation of an AMD family and model, where it is one this project's hosts have been: family 17h is Zen
 * to Zen 2, 19h Zen 3 or Zen 4 by model (AMD's model ranges: 00h–0Fh, 20h–2Fh, 40h–5Fh Zen 3; 10h–1Fh, 60h–7Fh,
 * A0h–AFh Zen 4), 1Ah Zen 5. The generation tells a 512-bit multiply-add at full width (Zen 5: 217 GFLOP/s on one
 * thread) from one at half width (Zen 4: 112–117), which halves the native tier's peak (the performance log's rounds
 * thirty-two and forty-one).
 * @param family - `cpu family`
 * @param model - `model`
 * @returns e.g. "Zen 4", or undefined for another family or model
 */
export function zenGeneration(family: number, model: number): string | undefined {
  if (family === 0x17) return 'Zen to Zen 2';
  if (family === 0x1a) return 'Zen 5';
  if (family !== 0x19) return undefined;
  const inRange = (ranges: readonly [number, number][]): boolean => ranges.some(([lo, hi]) => model >= lo && model <= hi);
  if (inRange([[0x00, 0x0f], [0x20, 0x2f], [0x40, 0x5f]])) return 'Zen 3';
  if (inRange([[0x10, 0x1f], [0x60, 0x7f], [0xa0, 0xaf]])) return 'Zen 4';
  return undefined;
}

/**
 * The CPU in words for the bench's header: its model name, then family and model (and the Zen generation on AMD),
 * and the vector extensions the tiers' kernels choose between.
 * @param info - parsed /proc/cpuinfo
 * @returns e.g. "AMD EPYC (AuthenticAMD family 25 model 17: Zen 4; AVX-512, AVX2, FMA)"
 */
export function describeCpu(info: CpuInfo): string {
  const zen = info.vendor === 'AuthenticAMD' ? zenGeneration(info.family, info.model) : undefined;
  const isa = [['avx512f', 'AVX-512'], ['avx2', 'AVX2'], ['fma', 'FMA']].filter(([flag]) => info.flags.has(flag as string)).map(([, name]) => name);
  return `${info.modelName} (${info.vendor} family ${info.family} model ${info.model}${zen ? `: ${zen}` : ''}; ${isa.length ? isa.join(', ') : 'no AVX2, AVX-512 or FMA'})`;
}

/**
 * This machine's CPU in words ({@link describeCpu}), or, where /proc/cpuinfo cannot be read or parsed, Node's model
 * string.
 * @returns the description
 */
export function hostCpu(): string {
  let text: string | undefined;
  try {
    text = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // not Linux
  }
  const info = text === undefined ? null : parseCpuInfo(text);
  return info ? describeCpu(info) : (cpus()[0]?.model.trim() ?? 'an unknown CPU');
}
