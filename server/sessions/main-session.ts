// The one source of the main session key: `session.mainKey` (trimmed, lower case, default `main`)
// under the default agent. hello-ok's sessionDefaults, agents.list, runs started without a session
// and /tools/invoke all ask this, so they agree whatever the config says.
import type { OpenClawConfig } from '../../contract/schemas/config.js';

export const DEFAULT_MAIN_KEY = 'main';

export interface SessionDefaults {
  readonly defaultAgentId: string;
  readonly mainKey: string;
  readonly mainSessionKey: string;
  readonly scope: 'per-sender' | 'global';
}

/** `session.mainKey` as upstream reads it: trimmed and lower case; empty or absent is `main`. */
export function normalizeMainKey(raw: string | undefined): string {
  const key = raw?.trim().toLowerCase();
  return key ? key : DEFAULT_MAIN_KEY;
}

/** `agent:<agentId>:<mainKey>`, for callers that learnt the main key from agents.list. */
export function mainSessionKey(agentId: string, mainKey: string): string {
  return `agent:${agentId}:${mainKey}`;
}

export class MainSession {
  private cached: SessionDefaults | undefined;
  private cachedFrom: { raw: string | undefined; scope: string | undefined; agentId: string } | undefined;

  constructor(
    private readonly config: () => OpenClawConfig,
    readonly defaultAgentId: () => string,
  ) {}

  /** The configured main key (default `main`). */
  mainKey(): string {
    return this.defaults().mainKey;
  }

  /** `agent:<agentId>:<mainKey>`: the main session of an agent. */
  keyFor(agentId: string): string {
    return mainSessionKey(agentId, this.mainKey());
  }

  /** Rebuilt only when the config or the default agent changed (hello-ok asks on every handshake). */
  defaults(): SessionDefaults {
    const session = this.config().session;
    const agentId = this.defaultAgentId();
    const from = this.cachedFrom;
    if (this.cached && from && from.raw === session?.mainKey && from.scope === session?.scope && from.agentId === agentId) return this.cached;
    const mainKey = normalizeMainKey(session?.mainKey);
    this.cachedFrom = { raw: session?.mainKey, scope: session?.scope, agentId };
    this.cached = { defaultAgentId: agentId, mainKey, mainSessionKey: mainSessionKey(agentId, mainKey), scope: session?.scope ?? 'per-sender' };
    return this.cached;
  }
}
