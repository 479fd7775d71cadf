import { describe, expect, it } from 'vitest';
import { scanDigitFile } from './digit-file-scan.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
/** The rows a scan emits (copied), or undefined where it gives up. */
function scan(text: string, rowSize: number): number[][] | undefined {
  const rows: number[][] = [];
  const n = scanDigitFile(bytes(text), rowSize, (row) => rows.push([...row]));
  if (n === undefined) return undefined;
  expect(n).toBe(rows.length);
  return rows;
}

describe('scanDigitFile', () => {
  it("gives each decimal JSON.parse's double, rowSize values a row", () => {
    // decimals of 1 to 15 significant digits, leading zeros after the point, integers, and the package's own kinds
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const texts = ['0', '1', '0.624', '0.2', '0.992', '0.196', '255', '0.000123', '1.5', '0.1', '0.3', '123456789012345', '0.999999999999999'];
    for (let k = 0; k < 3000; k++) {
      const digits = 1 + Math.floor(random() * 15);
      const point = Math.floor(random() * (digits + 1));
      let s = String(Math.floor(random() * 9) + 1);
      for (let d = 1; d < digits; d++) s += String(Math.floor(random() * 10));
      texts.push(point === 0 ? `0.${'0'.repeat(Math.floor(random() * 3))}${s}`.slice(0, 17) : point >= digits ? s : `${s.slice(0, point)}.${s.slice(point)}`);
    }
    const n = texts.length - (texts.length % 4);
    const text = `{"data":[${texts.slice(0, n).join(',')}]}`;
    const rows = scan(text, 4);
    expect(rows).toHaveLength(n / 4);
    expect(rows!.flat()).toEqual(JSON.parse(text).data as number[]);
  });

  it('reads runs of lone zeros (a digit\'s background) as JSON.parse does, across rows and before other values', () => {
    const values = ['0', '0', '0', '0.5', '0', '0', '1', '0', '0', '0', '0', '0', '0.25', '0', '0', '0'];
    const text = `{"data":[${values.join(',')}]}`;
    expect(scan(text, 4)!.flat()).toEqual(JSON.parse(text).data as number[]);
    expect(scan('{"data":[0,0 ,0, 0]}', 2)).toEqual([[0, 0], [0, 0]]);
    for (const bad of ['{"data":[0,]}', '{"data":[0,,1]}', '{"data":[0,00]}', '{"data":[0,0]']) expect(scan(bad, 1), bad).toBeUndefined();
  });

  it('takes the whitespace JSON allows and an empty list', () => {
    expect(scan(' {\n "data" :\t[ 0.5 ,1\r\n, 0 ] } \n', 3)).toEqual([[0.5, 1, 0]]);
    expect(scan('{"data":[]}', 784)).toEqual([]);
  });

  it('gives up on anything but non-negative decimals in {"data":[…]}, and on a partial row', () => {
    for (const text of [
      '{"data":[-1]}', '{"data":[1e-3]}', '{"data":[01]}', '{"data":[1.]}', '{"data":[.5]}', '{"data":[0x1]}',
      '{"data":[1,,2]}', '{"data":[1,]}', '{"data":[1 2]}', '{"data":[1]', '{"data":[1]}x', '{"labels":[1]}',
      '{"data":[1],"more":2}', '["data",1]', '{"data":[1234567890123456]}', '{"data":[0.1234567890123456]}', '',
      '{"data":[NaN]}', '{"data":["1"]}',
    ]) {
      expect(scan(text, 1), text).toBeUndefined();
    }
    expect(scan('{"data":[1,2,3]}', 2)).toBeUndefined();
  });
});
