// Aligned columns for human output (`kubectl get` style): a header, two spaces between columns,
// cells measured by their display width (wide and combining characters) and cut with "…" where a
// column has a maximum or the terminal is too narrow.
import stringWidth from 'string-width';
import type { Colors } from './terminal-style.js';

export interface TableColumn {
  readonly header: string;
  readonly align?: 'left' | 'right';
  /** Cells longer than this are cut. */
  readonly maxWidth?: number;
  /** The column that gives up width first when the table is wider than the terminal. */
  readonly flex?: boolean;
}

const GAP = 2;

export function truncateCell(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  let out = '';
  for (const ch of text) {
    if (stringWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return `${out}…`;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - stringWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** One line per row (the header first); `maxWidth` is the terminal's width when known. */
export function formatTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[], colors: Colors, maxWidth?: number): string {
  const cells = rows.map((row) => columns.map((c, i) => {
    const text = (row[i] ?? '').replace(/[\r\n\t]+/g, ' ');
    return c.maxWidth ? truncateCell(text, c.maxWidth) : text;
  }));
  const widths = columns.map((c, i) => Math.max(stringWidth(c.header), ...cells.map((r) => stringWidth(r[i]!))));
  if (maxWidth && maxWidth > 0) {
    const total = widths.reduce((a, b) => a + b, 0) + GAP * (columns.length - 1);
    const flex = columns.findIndex((c) => c.flex);
    if (total > maxWidth && flex >= 0) widths[flex] = Math.max(stringWidth(columns[flex]!.header), 8, widths[flex]! - (total - maxWidth));
  }
  const line = (values: readonly string[], header: boolean): string =>
    values
      .map((v, i) => {
        const cell = pad(truncateCell(v, widths[i]!), widths[i]!, columns[i]!.align ?? 'left');
        return header ? colors.bold(cell) : cell;
      })
      .join(' '.repeat(GAP))
      .trimEnd();
  return [line(columns.map((c) => c.header), true), ...cells.map((r) => line(r, false))].join('\n');
}

/** `label  value` lines with the values aligned (a record shown vertically). */
export function formatFields(fields: readonly (readonly [string, string] | undefined)[], colors: Colors, indent = ''): string {
  const present = fields.filter((f): f is readonly [string, string] => f !== undefined);
  const width = Math.max(0, ...present.map(([label]) => stringWidth(label)));
  return present.map(([label, value]) => `${indent}${colors.dim(pad(`${label}:`, width + 1, 'left'))} ${value}`).join('\n');
}
