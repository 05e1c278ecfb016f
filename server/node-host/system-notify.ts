// system.notify: shows a notification on the node — through notify-send when the desktop has it,
// else as a line in the node host's own output (a headless node has no other screen).
import { execFile } from 'node:child_process';
import which from 'which';
import { ServeError } from '../../clients/runtime/request-serving.js';

export async function systemNotify(params: { title?: unknown; body?: unknown; priority?: unknown }, print: (line: string) => void): Promise<Record<string, unknown>> {
  const title = typeof params.title === 'string' ? params.title.slice(0, 256) : '';
  const body = typeof params.body === 'string' ? params.body.slice(0, 4096) : '';
  if (!title && !body) throw new ServeError('INVALID_REQUEST', 'system.notify needs a title or a body');
  const notifySend = process.env.DISPLAY || process.env.WAYLAND_DISPLAY ? await which('notify-send', { nothrow: true }) : null;
  if (notifySend) {
    const delivered = await new Promise<boolean>((done) => execFile(notifySend, ['--', title || 'OpenClaw', body], { timeout: 5_000 }, (error) => done(!error)));
    if (delivered) return { ok: true, delivered: 'notify-send' };
  }
  print(`[notify] ${title}${title && body ? ': ' : ''}${body}`);
  return { ok: true, delivered: 'log' };
}
