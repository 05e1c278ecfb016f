// One gateway log record (pino JSON) as a readable line: time, level, message, then its fields.
import type { Colors } from '../client/terminal-style.js';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const SKIP = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'v']);

export interface LogRecord {
  readonly [key: string]: unknown;
}

/** The record, or undefined when the line is not JSON (a torn last line, a foreign writer). */
export function parseLogLine(line: string): LogRecord | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as LogRecord) : undefined;
  } catch {
    return undefined;
  }
}

function clock(time: unknown, utc: boolean): string {
  const date = typeof time === 'number' || typeof time === 'string' ? new Date(time) : undefined;
  if (!date || Number.isNaN(date.getTime())) return '--:--:--';
  if (utc) return `${date.toISOString().slice(11, 19)}Z`;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function levelText(level: unknown, c: Colors): string {
  const name = typeof level === 'number' ? (LEVELS[level] ?? String(level)) : typeof level === 'string' ? level.toUpperCase() : 'INFO';
  const padded = name.padEnd(5);
  if (name === 'ERROR' || name === 'FATAL') return c.red(padded);
  if (name === 'WARN') return c.yellow(padded);
  if (name === 'DEBUG' || name === 'TRACE') return c.dim(padded);
  return c.green(padded);
}

const fieldValue = (v: unknown): string => (typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v));

export function formatLogLine(line: string, c: Colors, utc: boolean): string {
  const record = parseLogLine(line);
  if (!record) return line;
  const fields = Object.entries(record)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${c.dim(`${k}=`)}${fieldValue(v)}`)
    .join(' ');
  const msg = typeof record.msg === 'string' ? record.msg : '';
  return `${c.dim(clock(record.time, utc))} ${levelText(record.level, c)} ${msg}${fields ? ` ${fields}` : ''}`;
}
