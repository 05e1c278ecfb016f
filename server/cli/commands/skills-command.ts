// `openclaw skills list|info|check|install`: the agents' skills, what each needs, and running one of a
// skill's declared installers on the gateway's machine.
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { CliError } from '../cli-error.js';
import { clientOptionsHelp, CLIENT_OPTIONS_HELP, runClientCommand, usageError } from '../client/client-command.js';
import type { CliOutput } from '../client/cli-output.js';
import { withGateway } from '../client/gateway-connection.js';
import { usageWithMethods } from '../client/method-docs.js';
import { withProgress } from '../client/progress-spinner.js';
import { dispatchSubcommand, type SubcommandGroup } from '../client/subcommands.js';
import { formatFields, formatTable } from '../client/text-table.js';

type Skill = GatewayMethods['skills.status']['result']['skills'][number];

const LIST_USAGE = `Usage: openclaw skills list [--eligible] [--agent <id>] [--verbose] [options]

The skills an agent has (bundled, managed and workspace ones), and whether each is eligible or
what it is missing.

Options:
  --eligible         only the skills whose requirements are met
  --agent <id>       this agent's skills (default: the default agent)
  -v, --verbose      also the requirements each one is missing and its installers

${CLIENT_OPTIONS_HELP}`;

const INFO_USAGE = `Usage: openclaw skills info <name> [--agent <id>] [options]

One skill: where it lives, what it requires, what is missing and how to install it.

${CLIENT_OPTIONS_HELP}`;

const INSTALL_USAGE = `Usage: openclaw skills install <name> [--installer <id>] [options]

Runs one of the skill's declared installers on the gateway's machine (after a safety scan;
package install scripts never run) and prints its output. With one installer for this system
--installer may be left out.

Options:
  --installer <id>   which installer ("openclaw skills info <name>" lists them)
  --agent <id>       find the skill among this agent's skills
  --force-unsafe     install even when the safety scan flags the skill

${clientOptionsHelp('  --timeout <ms>     how long the install may take (default 300000)')}`;

const missingList = (s: Skill): string[] => [
  ...s.missing.bins.map((b) => `bin:${b}`),
  ...(s.missing.anyBins.length ? [`any of:${s.missing.anyBins.join('|')}`] : []),
  ...s.missing.env.map((e) => `env:${e}`),
  ...s.missing.config.map((k) => `config:${k}`),
  ...s.missing.os.map((o) => `os:${o}`),
];

function statusOf(s: Skill, out: CliOutput): string {
  if (s.disabled) return out.color.dim('disabled');
  if (s.blockedByAllowlist) return out.color.dim('blocked');
  return s.eligible ? out.color.green('eligible') : out.color.yellow('missing');
}

function renderList(out: CliOutput, skills: readonly Skill[], verbose: boolean): void {
  if (!skills.length) return void out.line(out.color.dim('no skills'));
  const columns = [{ header: 'SKILL' }, { header: 'STATUS' }, { header: 'SOURCE' }, ...(verbose ? [{ header: 'MISSING' }, { header: 'INSTALLERS' }] : []), { header: 'DESCRIPTION', flex: true }];
  out.line(
    formatTable(
      columns,
      skills.map((s) => [`${s.emoji ? `${s.emoji} ` : ''}${s.name}`, statusOf(s, out), s.source, ...(verbose ? [missingList(s).join(', '), s.install.map((i) => i.id).join(', ')] : []), s.description]),
      out.color,
      out.columns,
    ),
  );
}

async function fetchSkills(target: Parameters<typeof withGateway>[0], timeoutMs: number, agent: string | undefined): Promise<GatewayMethods['skills.status']['result']> {
  return withGateway(target, { timeoutMs, scopes: ['operator.read'] }, (client) => client.skills.status(agent ? { agentId: agent } : {}, { timeoutMs }));
}

function findSkill(skills: readonly Skill[], name: string): Skill {
  const skill = skills.find((s) => s.name === name || s.skillKey === name);
  if (!skill) throw new CliError(`no skill named "${name}" ("openclaw skills list" shows them)`);
  return skill;
}

function listSkills(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    { name: 'skills list', options: { eligible: { type: 'boolean' }, agent: { type: 'string' }, verbose: { type: 'boolean', short: 'v' } }, usage: usageWithMethods(LIST_USAGE, ['skills.status']) },
    async ({ values, out, target, timeoutMs }) => {
      const status = await fetchSkills(target, timeoutMs, values.agent);
      const skills = values.eligible ? status.skills.filter((s) => s.eligible) : status.skills;
      if (out.json) out.printJson({ ...status, skills });
      else renderList(out, skills, values.verbose === true);
    },
  );
}

const CHECK_USAGE = `Usage: openclaw skills check [--agent <id>] [options]

How many skills are ready, and for each one that is not, what it is missing and whether an
installer can fix it.

${CLIENT_OPTIONS_HELP}`;

function checkSkills(args: string[]): Promise<number> {
  return runClientCommand(args, { name: 'skills check', options: { agent: { type: 'string' } }, usage: usageWithMethods(CHECK_USAGE, ['skills.status']) }, async ({ values, out, target, timeoutMs }) => {
    const { skills } = await fetchSkills(target, timeoutMs, values.agent);
    const ready = skills.filter((s) => s.eligible && !s.disabled && !s.blockedByAllowlist);
    const off = skills.filter((s) => s.disabled || s.blockedByAllowlist);
    const missing = skills.filter((s) => !s.eligible && !s.disabled && !s.blockedByAllowlist);
    if (out.json) {
      return void out.printJson({ total: skills.length, ready: ready.map((s) => s.name), disabled: off.map((s) => s.name), missing: missing.map((s) => ({ name: s.name, missing: missingList(s), installers: s.install.map((i) => i.id) })) });
    }
    const c = out.color;
    out.line(`${c.green(`${ready.length} ready`)}, ${missing.length ? c.yellow(`${missing.length} missing requirements`) : '0 missing requirements'}, ${off.length} disabled or blocked (of ${skills.length})`);
    if (!missing.length) return;
    out.line();
    out.line(
      formatTable(
        [{ header: 'SKILL' }, { header: 'MISSING', flex: true }, { header: 'FIX' }],
        missing.map((s) => [s.name, missingList(s).join(', '), s.install.length ? `openclaw skills install ${s.name}${s.install.length > 1 ? ' --installer <id>' : ''}` : c.dim('no installer')]),
        c,
        out.columns,
      ),
    );
  });
}

function skillInfo(args: string[]): Promise<number> {
  return runClientCommand(args, { name: 'skills info', positionals: true, options: { agent: { type: 'string' } }, usage: usageWithMethods(INFO_USAGE, ['skills.status']) }, async ({ values, positionals, out, target, timeoutMs }) => {
    if (positionals.length !== 1) throw usageError('skills info', 'name one skill');
    const skill = findSkill((await fetchSkills(target, timeoutMs, values.agent)).skills, positionals[0]!);
    if (out.json) return void out.printJson(skill);
    const c = out.color;
    const req = skill.requirements;
    out.line(`${c.bold(skill.name)}  ${statusOf(skill, out)}`);
    out.line(`  ${skill.description}`);
    out.line(
      formatFields(
        [
          ['source', `${skill.source}${skill.bundled ? ' (bundled)' : ''}`],
          ['file', skill.filePath],
          ['key', skill.skillKey],
          skill.homepage ? ['homepage', skill.homepage] : undefined,
          ['requires', [...req.bins.map((b) => `bin:${b}`), ...(req.anyBins.length ? [`any of:${req.anyBins.join('|')}`] : []), ...req.env.map((e) => `env:${e}`), ...req.config.map((k) => `config:${k}`), ...req.os.map((o) => `os:${o}`)].join(', ') || c.dim('nothing')],
          ['missing', missingList(skill).join(', ') || c.dim('nothing')],
          ['installers', skill.install.length ? skill.install.map((i) => `${i.id} (${i.kind}: ${i.label})`).join('; ') : c.dim(skill.hasInstallSpecs ? 'none for this system' : 'none')],
        ],
        c,
        '  ',
      ),
    );
  });
}

function installSkill(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    {
      name: 'skills install',
      positionals: true,
      options: { installer: { type: 'string' }, agent: { type: 'string' }, 'force-unsafe': { type: 'boolean' } },
      usage: usageWithMethods(INSTALL_USAGE, ['skills.status', 'skills.install']),
      defaultTimeoutMs: 300_000,
    },
    async ({ values, positionals, out, target, timeoutMs }) => {
      if (positionals.length !== 1) throw usageError('skills install', 'name one skill');
      const connectMs = Math.min(timeoutMs, 10_000);
      const result = await withGateway(target, { timeoutMs: connectMs }, async (client) => {
        const skill = findSkill((await client.skills.status(values.agent ? { agentId: values.agent } : {}, { timeoutMs: connectMs })).skills, positionals[0]!);
        let installId = values.installer;
        if (!installId) {
          if (skill.install.length !== 1) {
            const options = skill.install.map((i) => `${i.id} (${i.label})`).join(', ');
            throw usageError('skills install', skill.install.length ? `${skill.name} has several installers; pick one with --installer: ${options}` : `${skill.name} has no installer for this system`);
          }
          installId = skill.install[0]!.id;
        }
        const params: GatewayMethods['skills.install']['params'] = { name: skill.name, installId, timeoutMs: Math.max(1000, timeoutMs) };
        if (values['force-unsafe']) params.dangerouslyForceUnsafeInstall = true;
        return withProgress(out, `installing ${skill.name} (${installId})…`, () => client.skills.install(params, { timeoutMs: timeoutMs + 15_000 }));
      });
      if (out.json) out.printJson(result);
      else {
        for (const w of result.warnings ?? []) out.note(out.errColor.yellow(`warning: ${w}`));
        if (result.stdout.trim()) out.line(result.stdout.trimEnd());
        if (!result.ok && result.stderr.trim()) out.note(result.stderr.trimEnd());
        if (result.ok) out.line(`${out.color.green('installed')}: ${result.message}`);
      }
      if (!result.ok) {
        if (!out.json) out.note(`${out.errColor.red('openclaw:')} the install failed: ${result.message}${result.reason ? ` ${out.errColor.dim(`[${result.reason}]`)}` : ''}`);
        return 1;
      }
      return 0;
    },
  );
}

const SKILLS: SubcommandGroup = {
  name: 'skills',
  summary: "The agents' skills. Without a subcommand: list.",
  subcommands: {
    list: { summary: 'skills and whether each is eligible', run: listSkills },
    info: { summary: 'one skill in detail', run: skillInfo },
    check: { summary: 'what is ready and what is missing', run: checkSkills },
    install: { summary: "run a skill's installer on the gateway's machine", run: installSkill },
  },
  aliases: { ls: 'list' },
  fallback: listSkills,
};

export function runSkillsCommand(args: string[]): Promise<number> {
  return dispatchSubcommand(SKILLS, args);
}
