// `openclaw gateway status`: which gateway this machine's commands talk to, whether it runs (the
// state dir's lock), where its config and log are, and a connectivity probe.
import { CLIENT_OPTIONS_HELP, runClientCommand } from '../client/client-command.js';
import { probeGateway } from '../client/gateway-probe.js';
import { describeUrlSource } from '../client/gateway-target.js';
import { usageWithMethods } from '../client/method-docs.js';
import { withProgress } from '../client/progress-spinner.js';
import { probeLines } from '../client/probe-report.js';
import { relativeTime } from '../client/relative-time.js';
import { formatFields } from '../client/text-table.js';

const USAGE = `Usage: openclaw gateway status [--no-probe] [options]

Where the gateway is (and why that one), whether it runs on this state dir, its config and log
files, and a probe of it. Exits 1 when the probe cannot reach it.

Options:
  --no-probe         only the local facts, no connection

${CLIENT_OPTIONS_HELP}`;

export function runGatewayStatusCommand(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    { name: 'gateway status', options: { 'no-probe': { type: 'boolean' } }, usage: usageWithMethods(USAGE, ['health', 'status']) },
    async ({ values, out, target, timeoutMs }) => {
      const probe = values['no-probe'] ? undefined : await withProgress(out, `probing ${target.url}…`, () => probeGateway(target, timeoutMs));
      const running = target.running;
      if (out.json) {
        out.printJson({
          url: target.url,
          source: describeUrlSource(target),
          stateDir: target.paths.stateDir,
          configPath: target.paths.configPath,
          logFile: target.paths.logFile,
          process: running ? { pid: running.pid, startedAt: running.startedAt, port: running.port ?? null, host: running.host ?? null } : null,
          probe: probe ?? null,
        });
      } else {
        const c = out.color;
        out.line(`${c.bold('Gateway')}  ${target.url}  ${c.dim(`(${describeUrlSource(target)})`)}`);
        out.line(
          formatFields(
            [
              ['state dir', target.paths.stateDir],
              ['config', target.paths.configPath],
              ['log file', target.paths.logFile],
              ['process', running ? `pid ${running.pid}, started ${relativeTime(running.startedAt)}${running.port ? `, port ${running.port}` : ''}` : c.dim('no gateway runs on this state dir')],
            ],
            c,
            '  ',
          ),
        );
        if (probe) {
          out.line();
          out.line(c.bold('Probe'));
          out.line(probeLines(out, probe));
        }
      }
      if (probe && !probe.reachable) {
        if (!out.json) out.note(out.errColor.red(`openclaw: the gateway at ${target.url} is not reachable`));
        return 1;
      }
      return 0;
    },
  );
}
