// `openclaw gateway probe`: probes every gateway this machine knows of — the explicit --url or
// --port, OPENCLAW_GATEWAY_URL, the configured remote, and always the local one — and says what
// each handshake proved. Exits 0 when at least one is reachable.
import { CLIENT_OPTIONS_HELP, runClientCommand } from '../client/client-command.js';
import { probeGateway } from '../client/gateway-probe.js';
import { describeUrlSource, resolveGatewayTarget, type GatewayTarget } from '../client/gateway-target.js';
import { usageWithMethods } from '../client/method-docs.js';
import { withProgress } from '../client/progress-spinner.js';
import { probeLines } from '../client/probe-report.js';

const USAGE = `Usage: openclaw gateway probe [options]

Probes the gateway named by --url / --port / OPENCLAW_GATEWAY_URL / gateway.remote, and this
machine's own gateway: reachability, protocol, what the credentials grant, round-trip time, and
whether read calls work. Exits 0 when at least one target is reachable, 1 otherwise.

${CLIENT_OPTIONS_HELP}`;

interface ProbeTarget {
  readonly id: string;
  readonly label: string;
  readonly target: GatewayTarget;
}

const LABELS: Record<GatewayTarget['urlSource'], [string, string]> = {
  flag: ['explicit', 'URL (explicit)'],
  'port-flag': ['explicit', 'Local port (explicit)'],
  env: ['env', 'URL (OPENCLAW_GATEWAY_URL)'],
  remote: ['remote', 'Remote (configured)'],
  lock: ['local', 'Local gateway'],
  config: ['local', 'Local gateway'],
  default: ['local', 'Local gateway'],
};

export function runGatewayProbeCommand(args: string[]): Promise<number> {
  return runClientCommand(args, { name: 'gateway probe', usage: usageWithMethods(USAGE, ['health', 'status']) }, async ({ values, out, target, timeoutMs }) => {
    const local = resolveGatewayTarget({ 'state-dir': values['state-dir'], token: values.token, password: values.password }, process.env, 'local');
    const targets: ProbeTarget[] = [];
    for (const t of [target, local]) {
      if (targets.some((p) => p.target.url === t.url)) continue;
      const [id, label] = LABELS[t.urlSource];
      targets.push({ id, label, target: t });
    }
    const results = await withProgress(out, `probing ${targets.map((t) => t.target.url).join(', ')}…`, () =>
      Promise.all(targets.map(async (t) => ({ ...t, result: await probeGateway(t.target, timeoutMs) }))),
    );
    const ok = results.some((r) => r.result.reachable);
    if (out.json) {
      out.printJson({
        ok,
        primaryTargetId: results.find((r) => r.result.reachable)?.id ?? null,
        targets: results.map((r) => ({ id: r.id, label: r.label, source: describeUrlSource(r.target), ...r.result })),
      });
    } else {
      results.forEach((r, i) => {
        if (i > 0) out.line();
        out.line(`${out.color.bold(r.label)}  ${r.target.url}  ${out.color.dim(`(${describeUrlSource(r.target)})`)}`);
        out.line(probeLines(out, r.result));
      });
    }
    if (!ok && !out.json) out.note(out.errColor.red('openclaw: no gateway is reachable'));
    return ok ? 0 : 1;
  });
}

