import { describe, expect, it } from 'vitest';
import { describeCpu, parseCpuInfo, zenGeneration } from './host-cpu.js';

/** Two processors as Linux prints them (abridged): the fields after the first blank line belong to the second. */
const cpuinfo = (family: number, model: number, flags: string): string =>
  [
    'processor\t: 0',
    'vendor_id\t: AuthenticAMD',
    `cpu family\t: ${family}`,
    `model\t\t: ${model}`,
    'model name\t: AMD EPYC',
    'cpu MHz\t\t: 2596.140',
    `flags\t\t: fpu sse sse2 ${flags}`,
    '',
    'processor\t: 1',
    'vendor_id\t: GenuineIntel',
    'cpu family\t: 6',
    'model\t\t: 143',
    'model name\t: another',
    'flags\t\t: fpu',
    '',
  ].join('\n');

describe('the bench header: host CPU', () => {
  it('reads the first processor: family and model apart from "model name", and its flags', () => {
    const info = parseCpuInfo(cpuinfo(25, 17, 'avx2 fma avx512f avx512bw'));
    expect(info).not.toBeNull();
    expect(info?.modelName).toBe('AMD EPYC');
    expect([info?.vendor, info?.family, info?.model]).toEqual(['AuthenticAMD', 25, 17]);
    expect(info?.flags.has('avx512f')).toBe(true);
    expect(info?.flags.has('avx512')).toBe(false);
  });

  it("names the Zen generations of this project's hosts by AMD's model ranges", () => {
    expect(zenGeneration(0x19, 0x01)).toBe('Zen 3'); // Milan
    expect(zenGeneration(0x19, 0x11)).toBe('Zen 4'); // Genoa
    expect(zenGeneration(0x19, 0xa0)).toBe('Zen 4'); // Bergamo
    expect(zenGeneration(0x19, 0x0f)).toBe('Zen 3');
    expect(zenGeneration(0x19, 0x10)).toBe('Zen 4');
    expect(zenGeneration(0x1a, 0x02)).toBe('Zen 5');
    expect(zenGeneration(0x17, 0x31)).toBe('Zen to Zen 2');
    expect(zenGeneration(0x19, 0x90)).toBeUndefined();
    expect(zenGeneration(6, 143)).toBeUndefined();
  });

  it('says the generation and the vector extensions the kernels choose between', () => {
    expect(describeCpu(parseCpuInfo(cpuinfo(25, 17, 'avx2 fma avx512f'))!)).toBe('AMD EPYC (AuthenticAMD family 25 model 17: Zen 4; AVX-512, AVX2, FMA)');
    expect(describeCpu(parseCpuInfo(cpuinfo(25, 1, 'avx2 fma'))!)).toBe('AMD EPYC (AuthenticAMD family 25 model 1: Zen 3; AVX2, FMA)');
    expect(describeCpu(parseCpuInfo(cpuinfo(26, 2, 'sse4_2'))!)).toBe('AMD EPYC (AuthenticAMD family 26 model 2: Zen 5; no AVX2, AVX-512 or FMA)');
  });

  it('names no generation for another vendor, and gives up on a text without the fields', () => {
    const intel = cpuinfo(6, 143, 'avx2 fma avx512f').replace('AuthenticAMD', 'GenuineIntel');
    expect(describeCpu(parseCpuInfo(intel)!)).toBe('AMD EPYC (GenuineIntel family 6 model 143; AVX-512, AVX2, FMA)');
    expect(parseCpuInfo('processor\t: 0\nmodel name\t: Apple M2\n')).toBeNull();
    expect(parseCpuInfo(cpuinfo(25, 17, 'avx2').replace('model\t\t: 17', 'model\t\t: seventeen'))).toBeNull();
  });
});
