// Seed method names the typed SDK calls, and the upstream names a gateway may offer instead. When
// hello-ok advertises the upstream name but not the seed one, the call goes to the upstream name,
// with params and results adapted where the two shapes differ.
import type { ExecApprovalsFile, ExecOverride } from '../../contract/schemas/exec-approvals.js';
import { GatewayError } from './gateway-error.js';
import type { CallOptions } from './rpc-caller.js';

type Call = (method: string, params: unknown, options?: CallOptions) => Promise<unknown>;

export interface MethodAlias {
  /** The name upstream gateways advertise. */
  readonly upstream: string;
  run(call: Call, params: unknown, options: CallOptions | undefined): Promise<unknown>;
}

type Policy = Record<string, unknown>;
interface Rule {
  id?: string;
  pattern: string;
  argPattern?: string;
  [key: string]: unknown;
}
type AgentRules = Policy & { allowlist?: Rule[]; denylist?: Rule[] };
type RulesFile = Omit<ExecApprovalsFile, 'agents'> & { agents?: Record<string, AgentRules> };

/** Upstream's exec.approvals.get / set answer. */
interface UpstreamApprovals {
  readonly path: string;
  readonly exists: boolean;
  readonly hash: string;
  readonly file: RulesFile;
  readonly resolvedDefaults?: Policy;
}

interface RuleChange {
  readonly pattern: string;
  readonly argPattern?: string;
  readonly decision: 'allow' | 'deny' | null;
  readonly agentId?: string;
  readonly baseHash?: string;
}

const passThrough = (upstream: string): MethodAlias => ({ upstream, run: (call, params, options) => call(upstream, params, options) });

/** Our exec.approvals.overrides view of upstream's file: the rules flattened, the defaults resolved. */
export function overridesFromUpstream(answer: UpstreamApprovals): Record<string, unknown> {
  const overrides: ExecOverride[] = [];
  for (const [key, agent] of Object.entries(answer.file.agents ?? {})) {
    for (const [list, decision] of [
      [agent.allowlist, 'allow'],
      [agent.denylist, 'deny'],
    ] as const) {
      for (const rule of list ?? []) {
        const override: ExecOverride = { pattern: rule.pattern, decision };
        if (rule.argPattern !== undefined) override.argPattern = rule.argPattern;
        if (key !== '*') override.agentId = key;
        overrides.push(override);
      }
    }
  }
  const defaults: Policy = {};
  Object.assign(defaults, answer.resolvedDefaults ?? {}, answer.file.defaults ?? {});
  return { path: answer.path, exists: answer.exists, hash: answer.hash, defaults, overrides, file: answer.file };
}

/** The whole file with one rule added, replaced or (decision null) removed. */
export function applyRuleChange(file: RulesFile, change: RuleChange): RulesFile {
  const key = change.agentId ?? '*';
  const agents: Record<string, AgentRules> = {};
  Object.assign(agents, file.agents ?? {});
  const agent: AgentRules = {};
  Object.assign(agent, agents[key] ?? {});
  const same = (rule: Rule): boolean => rule.pattern === change.pattern && (rule.argPattern ?? '') === (change.argPattern ?? '');
  const allow = (agent.allowlist ?? []).filter((rule) => !same(rule));
  const deny = (agent.denylist ?? []).filter((rule) => !same(rule));
  if (change.decision) {
    const rule: Rule = { pattern: change.pattern };
    if (change.argPattern !== undefined) rule.argPattern = change.argPattern;
    (change.decision === 'allow' ? allow : deny).push(rule);
  }
  agent.allowlist = allow;
  if (deny.length > 0 || agent.denylist) agent.denylist = deny;
  agents[key] = agent;
  const next: RulesFile = Object.assign({}, file);
  next.agents = agents;
  return next;
}

const asApprovals = (value: unknown): UpstreamApprovals => {
  const answer = value as Partial<UpstreamApprovals> | null;
  if (!answer || typeof answer.hash !== 'string' || typeof answer.file !== 'object' || !answer.file) {
    throw new GatewayError({ kind: 'gateway', code: 'INTERNAL', message: 'the gateway answered exec.approvals.get/set in an unknown shape', method: 'exec.approvals.get', sent: true });
  }
  return answer as UpstreamApprovals;
};

const overridesAlias: MethodAlias = {
  upstream: 'exec.approvals.get',
  run: async (call, _params, options) => overridesFromUpstream(asApprovals(await call('exec.approvals.get', {}, options))),
};

const overridesSetAlias: MethodAlias = {
  upstream: 'exec.approvals.set',
  async run(call, params, options) {
    const p = params as { file?: RulesFile; baseHash?: string } & Partial<RuleChange>;
    if (p.file) return overridesFromUpstream(asApprovals(await call('exec.approvals.set', params, options)));
    // One rule: read the file, change it, write it back guarded by the hash it was read with.
    const current = asApprovals(await call('exec.approvals.get', {}, options));
    if (p.baseHash && p.baseHash !== current.hash) {
      throw new GatewayError({
        kind: 'gateway',
        code: 'CONFLICT',
        message: 'exec approvals changed since they were read; run exec.approvals.overrides again and retry',
        method: 'exec.approvals.overrides.set',
        sent: true,
        details: { code: 'BASE_HASH_MISMATCH', currentHash: current.hash },
      });
    }
    const file = applyRuleChange(current.file, p as RuleChange);
    const write: Record<string, unknown> = { file };
    if (current.exists) write.baseHash = current.hash;
    return overridesFromUpstream(asApprovals(await call('exec.approvals.set', write, options)));
  },
};

/** Seed name → upstream alias. */
export const UPSTREAM_ALIASES: Readonly<Record<string, MethodAlias>> = Object.freeze({
  'sessions.spawn': passThrough('sessions.create'),
  'exec.approvals.list': passThrough('exec.approval.list'),
  'exec.approvals.resolve': passThrough('exec.approval.resolve'),
  'exec.approvals.overrides': overridesAlias,
  'exec.approvals.overrides.set': overridesSetAlias,
});

/** The alias to use for `method` on a gateway advertising `methods`, if the seed name is not among them. */
export function aliasFor(method: string, methods: readonly string[] | undefined): MethodAlias | undefined {
  const alias = Object.hasOwn(UPSTREAM_ALIASES, method) ? UPSTREAM_ALIASES[method] : undefined;
  if (!alias || !methods || methods.includes(method) || !methods.includes(alias.upstream)) return undefined;
  return alias;
}
