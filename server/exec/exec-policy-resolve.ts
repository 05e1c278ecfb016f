// The effective policy of one agent: exec-approvals.json (the agent's entry, then agent `*`, then
// defaults), made stricter — never looser — by tools.exec in openclaw.json, with the safe
// default when nothing is set: allowlist + ask on miss + deny when nobody can be asked.
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import type { ExecToolConfig } from '../../contract/schemas/exec-config.js';
import { agentConfigIndex } from '../agents/agent-directory.js';
import type { CommandRule } from './allowlist-match.js';
import { DEFAULT_SAFE_BINS } from './command-kinds.js';
import type { ExecAsk, ExecPolicy, ExecSecurity } from './exec-policy.js';
import type { PolicyFileState } from './exec-policy-file.js';

const SECURITY_ORDER: readonly ExecSecurity[] = ['deny', 'allowlist', 'full'];
const ASK_ORDER: readonly ExecAsk[] = ['off', 'on-miss', 'always'];

export const DEFAULT_POLICY = { security: 'allowlist', ask: 'on-miss', askFallback: 'deny' } as const;

const stricterSecurity = (a: ExecSecurity, b: ExecSecurity | undefined): ExecSecurity =>
  b === undefined ? a : SECURITY_ORDER[Math.min(SECURITY_ORDER.indexOf(a), SECURITY_ORDER.indexOf(b))]!;
const stricterAsk = (a: ExecAsk, b: ExecAsk | undefined): ExecAsk => (b === undefined ? a : ASK_ORDER[Math.max(ASK_ORDER.indexOf(a), ASK_ORDER.indexOf(b))]!);

/** tools.exec for an agent: its agents.list entry's, over the global one. */
export function execToolConfig(config: OpenClawConfig, agentId: string): ExecToolConfig {
  const index = agentConfigIndex(config, agentId);
  const own = index >= 0 ? config.agents?.list?.[index]?.tools?.exec : undefined;
  return { ...config.tools?.exec, ...own };
}

export function resolveExecPolicy(state: PolicyFileState, config: OpenClawConfig, agentId: string): ExecPolicy {
  const tool = execToolConfig(config, agentId);
  const safeBins = tool.safeBins ? new Map(tool.safeBins.map((name) => [name, DEFAULT_SAFE_BINS.get(name) ?? ('confined' as const)])) : DEFAULT_SAFE_BINS;
  if (state.invalid) return { security: 'deny', ask: 'off', askFallback: 'deny', allowlist: [], denylist: [], safeBins };
  const file = state.file;
  const own = file.agents?.[agentId];
  const shared = file.agents?.['*'];
  const pick = <K extends 'security' | 'ask' | 'askFallback'>(key: K) => own?.[key] ?? shared?.[key] ?? file.defaults?.[key] ?? DEFAULT_POLICY[key];
  const rules = (list: 'allowlist' | 'denylist'): CommandRule[] =>
    [...(own?.[list] ?? []), ...(shared?.[list] ?? [])].map((e) => (e.argPattern !== undefined ? { pattern: e.pattern, argPattern: e.argPattern } : { pattern: e.pattern }));
  return {
    security: stricterSecurity(pick('security'), tool.security),
    ask: stricterAsk(pick('ask'), tool.ask),
    askFallback: stricterSecurity(pick('askFallback'), tool.security),
    allowlist: rules('allowlist'),
    denylist: rules('denylist'),
    safeBins,
  };
}
