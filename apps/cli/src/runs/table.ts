/**
 * Lay out rows as a plain-text table with columns padded to their widest cell.
 * @param header - column titles
 * @param rows - cells
 * @returns the lines, joined with newlines, ending in one
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/**
 * A number for a table cell: 4 significant digits, `-` for none.
 * @param v - any value
 * @returns the cell text
 */
export function num(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return v === null || v === undefined ? '-' : String(v);
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}
