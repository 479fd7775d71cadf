/**
 * A decimal number as a CSV cell may write it: an optional sign, digits with an optional point (or a
 * point and digits), and an optional exponent: `12`, `-0.5`, `.5`, `5.`, `1e-3`, `+2E+05`. `Number()`
 * accepts more (`0x10`, `0b11`, `0o7`, `Infinity`, inner whitespace), which a data file should not mean.
 */
export const DECIMAL_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Whether a (trimmed) cell is a decimal number in the sense of {@link DECIMAL_NUMBER}.
 * @param cell - the cell, trimmed
 * @returns true for `12`, `-0.5`, `1e-3`; false for `0x10`, `Infinity`, `1 2`, ``
 * @example
 * ```ts
 * isDecimalNumber('1e-3'); // true
 * isDecimalNumber('0x10'); // false
 * ```
 */
export function isDecimalNumber(cell: string): boolean {
  return DECIMAL_NUMBER.test(cell);
}
