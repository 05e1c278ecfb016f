// How a probe reads to a person: reachability first, then what the handshake proved.
import type { CliOutput } from './cli-output.js';
import type { ProbeResult } from './gateway-probe.js';
import { formatFields } from './text-table.js';

export function probeLines(out: CliOutput, p: ProbeResult, indent = '  '): string {
  const c = out.color;
  const err = (e: { message: string; code: string; detailCode?: string | undefined } | undefined): string =>
    e ? `${e.message} ${c.dim(`[${e.detailCode && e.detailCode !== e.code ? `${e.code}/${e.detailCode}` : e.code}]`)}` : '';
  return formatFields(
    [
      ['reachable', p.reachable ? c.green('yes') : `${c.red('no')}${p.connect.error ? `: ${err(p.connect.error)}` : ''}`],
      p.reachable
        ? ['connect', p.connect.ok ? `${c.green('ok')} in ${p.connect.ms} ms · protocol ${p.protocol} · gateway ${p.server?.version}` : `${c.red('refused')}: ${err(p.connect.error)}`]
        : undefined,
      p.auth ? ['auth', `${p.auth.capability} (${p.auth.scopes.join(', ') || 'no scopes'})${p.auth.via ? ` via ${p.auth.via}` : ' without credentials'}`] : undefined,
      p.rtt ? ['round trip', `${p.rtt.minMs} ms (median ${p.rtt.medianMs} ms of ${p.rtt.samples} health calls)`] : undefined,
      p.read ? ['read probe', p.read.ok ? c.green('ok') : `${c.yellow('failed')}: ${err(p.read.error)}`] : undefined,
    ],
    c,
    indent,
  );
}
