// `openclaw browser status|tabs`: the agents' browsers as the gateway runs them (upstream's
// command names): whether Chromium is there, the settings in force, and the open tabs.
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { CLIENT_OPTIONS_HELP, runClientCommand } from '../client/client-command.js';
import type { CliOutput } from '../client/cli-output.js';
import { withGateway } from '../client/gateway-connection.js';
import { usageWithMethods } from '../client/method-docs.js';
import { relativeTime, shortDuration } from '../client/relative-time.js';
import { dispatchSubcommand, type SubcommandGroup } from '../client/subcommands.js';
import { formatFields, formatTable } from '../client/text-table.js';

type BrowserStatus = GatewayMethods['browser.status']['result'];

const STATUS_USAGE = `Usage: openclaw browser status [--agent <id>] [options]

Whether the browser tool is on and Chromium available, the settings in force (headless, sandbox,
idle timeout, tab limit), and each running browser with its process and tab count.

Options:
  --agent <id>       only this agent's browser

${CLIENT_OPTIONS_HELP}`;

const TABS_USAGE = `Usage: openclaw browser tabs [--agent <id>] [options]

The open tabs of the agents' browsers: agent, title, URL, and which one is active.

Options:
  --agent <id>       only this agent's tabs

${CLIENT_OPTIONS_HELP}`;

function renderStatus(out: CliOutput, s: BrowserStatus): void {
  const c = out.color;
  const chromium = s.cdpUrl ? `attached to ${s.cdpUrl}` : s.available ? (s.executablePath ?? 'found') : c.yellow(s.detectError ?? 'not found');
  out.line(
    formatFields(
      [
        ['browser tool', s.enabled ? c.green('on') : c.dim('off (browser.enabled is false)')],
        ['chromium', chromium],
        ['mode', `${s.attachOnly ? 'attach only' : 'managed'}, ${s.headless ? 'headless' : 'headed'}${s.noSandbox ? c.yellow(', no sandbox') : ''}`],
        ['limits', `${s.maxTabs} tabs, closes after ${shortDuration(s.idleTimeoutMs)} idle`],
      ],
      c,
    ),
  );
  out.line();
  if (!s.browsers.length) return void out.line(c.dim('no browsers running (one starts when an agent first uses the browser tool)'));
  out.line(
    formatTable(
      [{ header: 'AGENT' }, { header: 'PROFILE' }, { header: 'MODE' }, { header: 'STATE' }, { header: 'PID', align: 'right' }, { header: 'TABS', align: 'right' }, { header: 'STARTED' }],
      s.browsers.map((b) => [b.agentId, b.profile, b.mode, b.running ? c.green('running') : c.dim('stopped'), b.pid === null ? '' : String(b.pid), String(b.tabCount), relativeTime(b.startedAt)]),
      c,
      out.columns,
    ),
  );
}

const agentParams = (agent: string | undefined): { agentId?: string } => (agent ? { agentId: agent } : {});

function browserStatus(args: string[]): Promise<number> {
  return runClientCommand(args, { name: 'browser status', options: { agent: { type: 'string' } }, usage: usageWithMethods(STATUS_USAGE, ['browser.status']) }, async ({ values, out, target, timeoutMs }) => {
    const status = await withGateway(target, { timeoutMs, scopes: ['operator.read'] }, (client) => client.browser.status(agentParams(values.agent), { timeoutMs }));
    if (out.json) out.printJson(status);
    else renderStatus(out, status);
  });
}

function browserTabs(args: string[]): Promise<number> {
  return runClientCommand(args, { name: 'browser tabs', options: { agent: { type: 'string' } }, usage: usageWithMethods(TABS_USAGE, ['browser.tabs']) }, async ({ values, out, target, timeoutMs }) => {
    const { tabs } = await withGateway(target, { timeoutMs, scopes: ['operator.read'] }, (client) => client.browser.tabs(agentParams(values.agent), { timeoutMs }));
    if (out.json) return void out.printJson({ tabs });
    if (!tabs.length) return void out.line(out.color.dim('no tabs open'));
    out.line(
      formatTable(
        [{ header: '' }, { header: 'AGENT' }, { header: 'TARGET', maxWidth: 12 }, { header: 'TITLE', maxWidth: 40 }, { header: 'URL', flex: true }],
        tabs.map((t) => [t.active ? '*' : '', t.agentId, t.targetId, t.title, t.url]),
        out.color,
        out.columns,
      ),
    );
  });
}

const BROWSER: SubcommandGroup = {
  name: 'browser',
  summary: "The agents' browsers (the browser tool's Chromium).",
  subcommands: {
    status: { summary: 'Chromium, the settings and the running browsers', run: browserStatus },
    tabs: { summary: 'the open tabs', run: browserTabs },
  },
};

export function runBrowserCommand(args: string[]): Promise<number> {
  return dispatchSubcommand(BROWSER, args);
}
