// exec.approvals.overrides / overrides.set (upstream exec.approvals.get / set): the standing
// rules in exec-approvals.json, one rule at a time or the whole file, with the base-hash rule.
import type { ExecApprovalsFile } from '../../contract/schemas/exec-approvals.js';
import type { ExecHandlers } from '../../generated/server/handlers.js';
import type { MethodResult } from '../../generated/server/method-types.js';
import { gatewayErrors } from '../core/error-constructors.js';
import { conflict, invalidRequest } from '../core/gateway-error.js';
import type { ExecPolicyStore, PolicyFileState } from './exec-policy-file.js';
import { DEFAULT_POLICY } from './exec-policy-resolve.js';

type PolicyHandlers = Pick<ExecHandlers, 'exec.approvals.overrides' | 'exec.approvals.overrides.set'>;
type RawAgents = Record<string, { allowlist?: Record<string, unknown>[]; denylist?: Record<string, unknown>[]; [k: string]: unknown }>;

/** The file as clients see it: the socket token never leaves the gateway. */
function publicFile(file: ExecApprovalsFile): ExecApprovalsFile {
  if (!file.socket) return file;
  return { ...file, socket: file.socket.path !== undefined ? { path: file.socket.path } : {} };
}

export function overridesView(store: ExecPolicyStore, state: PolicyFileState = store.read()): MethodResult<'exec.approvals.overrides'> {
  const file = state.file;
  const overrides: MethodResult<'exec.approvals.overrides'>['overrides'] = [];
  for (const [agentId, entry] of Object.entries(file.agents ?? {})) {
    for (const [list, decision] of [['allowlist', 'allow'], ['denylist', 'deny']] as const) {
      for (const rule of entry[list] ?? []) {
        overrides.push({ pattern: rule.pattern, ...(rule.argPattern !== undefined ? { argPattern: rule.argPattern } : {}), decision, ...(agentId !== '*' ? { agentId } : {}) });
      }
    }
  }
  const defaults = {
    security: file.defaults?.security ?? DEFAULT_POLICY.security,
    ask: file.defaults?.ask ?? DEFAULT_POLICY.ask,
    askFallback: file.defaults?.askFallback ?? DEFAULT_POLICY.askFallback,
    ...(file.defaults?.autoAllowSkills !== undefined ? { autoAllowSkills: file.defaults.autoAllowSkills } : {}),
  };
  return { path: store.location, exists: state.exists, hash: state.hash, defaults, overrides, file: publicFile(file), ...(state.invalid ? { invalid: state.invalid } : {}) };
}

function checkBaseHash(state: PolicyFileState, baseHash: string | undefined, required: boolean): void {
  if (baseHash === undefined) {
    if (required && state.exists) throw invalidRequest('exec-approvals.json exists; pass its hash (from exec.approvals.overrides) as baseHash', { code: 'BASE_HASH_REQUIRED' });
    return;
  }
  if (baseHash !== state.hash) throw conflict('exec-approvals.json changed since it was read; read it again and retry', 'BASE_HASH_MISMATCH', { currentHash: state.hash });
}

export function createExecPolicyHandlers(store: ExecPolicyStore): PolicyHandlers {
  const write = (raw: Record<string, unknown>): PolicyFileState => {
    try {
      return store.write(raw);
    } catch (error) {
      throw gatewayErrors.APPROVAL_STORE_FAILED({}, `exec-approvals.json could not be written (${(error as Error).message})`);
    }
  };
  return {
    'exec.approvals.overrides': () => overridesView(store),
    'exec.approvals.overrides.set': (params) => {
      const state = store.read();
      if ('file' in params) {
        checkBaseHash(state, params.baseHash, true);
        const next: Record<string, unknown> = structuredClone(params.file) as Record<string, unknown>;
        // The socket token is never sent to clients, so a client's file keeps the one on disk.
        const oldSocket = state.raw.socket as { token?: unknown } | undefined;
        if (oldSocket?.token !== undefined) next.socket = { ...(next.socket as object | undefined), token: oldSocket.token };
        return overridesView(store, write(next));
      }
      checkBaseHash(state, params.baseHash, false);
      if (state.invalid) throw invalidRequest(`${state.invalid}; replace the whole file with exec.approvals.set`, { code: 'CONFIG_INVALID' });
      const raw = structuredClone(state.raw) as { version?: number; agents?: RawAgents };
      raw.version = 1;
      const key = params.agentId ?? '*';
      const agents = (raw.agents ??= {});
      const entry = (agents[key] ??= {});
      const same = (e: Record<string, unknown>): boolean => e.pattern === params.pattern && (e.argPattern ?? undefined) === params.argPattern;
      entry.allowlist = (entry.allowlist ?? []).filter((e) => !same(e));
      entry.denylist = (entry.denylist ?? []).filter((e) => !same(e));
      const rule = { pattern: params.pattern, ...(params.argPattern !== undefined ? { argPattern: params.argPattern } : {}) };
      if (params.decision === 'allow') entry.allowlist.push(rule);
      if (params.decision === 'deny') entry.denylist.push(rule);
      if (entry.allowlist.length === 0) delete entry.allowlist;
      if (entry.denylist.length === 0) delete entry.denylist;
      if (Object.keys(entry).length === 0) delete agents[key];
      return overridesView(store, write(raw));
    },
  };
}
