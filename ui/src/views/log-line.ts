// One line of the gateway's pino log as the Logs view shows it: time, level, message and the
// remaining fields; a line that is not JSON is shown as it is.
export const LEVELS = [
  { value: 10, name: 'trace' },
  { value: 20, name: 'debug' },
  { value: 30, name: 'info' },
  { value: 40, name: 'warn' },
  { value: 50, name: 'error' },
  { value: 60, name: 'fatal' },
] as const;

export interface LogLine {
  readonly level: number;
  readonly levelName: string;
  readonly time: string;
  readonly msg: string;
  readonly fields: string;
  /** Everything, for the text filter. */
  readonly text: string;
}

const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'v']);

export function parseLogLine(raw: string): LogLine {
  try {
    const record = JSON.parse(raw) as Record<string, unknown>;
    const level = typeof record.level === 'number' ? record.level : 30;
    const name = [...LEVELS].reverse().find((l) => level >= l.value)?.name ?? 'trace';
    const time = typeof record.time === 'string' ? record.time.slice(11, 23) : typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 23) : '';
    const rest = Object.entries(record).filter(([k]) => !HIDDEN.has(k));
    const fields = rest.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
    const msg = typeof record.msg === 'string' ? record.msg : '';
    return { level, levelName: name, time, msg, fields, text: raw };
  } catch {
    return { level: 30, levelName: 'info', time: '', msg: raw, fields: '', text: raw };
  }
}
