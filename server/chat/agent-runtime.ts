// The agent runtime of one gateway: tool registry, agents, sessions, models, usage and runs, built
// once by the composition root, so every front end — WS methods, the HTTP endpoints, cron — starts
// the same kind of run through `startRun`.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { SessionRow } from '../../contract/schemas/sessions.js';
import type { EventPayload } from '../../generated/server/method-types.js';
import { AgentDirectory } from '../agents/agent-directory.js';
import { WorkspaceContextCache } from '../agents/workspace-files.js';
import type { ConnectionHandle } from '../core/connection-handle.js';
import type { Mutable } from '../core/mutable.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { ModelCatalog } from '../models/model-catalog.js';
import { MainSession } from '../sessions/main-session.js';
import { sessionHealthSources } from '../sessions/session-health.js';
import { SessionSubscriptions, wireSessionSubscriptions } from '../sessions/session-subscriptions.js';
import { toSessionRow } from '../sessions/session-rows.js';
import { parseSessionKey } from '../sessions/session-key.js';
import { SessionStore, type StoredSessionEntry } from '../sessions/session-store.js';
import { configToolPolicy } from '../tools/config-tool-policy.js';
import { registerSessionTools, type SessionToolHost } from '../tools/session-tools.js';
import { ToolRegistry } from '../tools/tool-registry.js';
import type { ToolCaller } from '../tools/tool-types.js';
import { UsageLedger } from '../usage/usage-ledger.js';
import { fileIdempotencyStore } from './idempotency-store.js';
import { PromptSections } from './prompt-sections.js';
import { RunManager } from './run-manager.js';
import type { AgentRunHandle, AgentRunRequest, StartRunOutcome } from './run-types.js';

/** How deep sessions_spawn may nest child sessions (a model spawning in a loop stops here). */
const MAX_SPAWN_DEPTH = 3;

export interface SpawnRequest {
  readonly caller: ToolCaller;
  readonly agentId?: string;
  readonly key?: string;
  readonly label?: string;
  readonly parentSessionKey?: string;
  readonly model?: string;
  /** Started as the session's first run when given. */
  readonly message?: string;
  readonly toolEventRecipient?: ConnectionHandle;
}

export interface SpawnOutcome {
  readonly key: string;
  readonly sessionId: string;
  readonly entry: StoredSessionEntry;
  readonly created: boolean;
  readonly run: AgentRunHandle | undefined;
}

export class AgentRuntime implements SessionToolHost {
  /** Register tools and policy hooks here (see ToolRegistry). */
  readonly tools = new ToolRegistry();
  readonly agents: AgentDirectory;
  /** The main session key (`session.mainKey`): the one source hello-ok, agents.list, runs and /tools/invoke read. */
  readonly mainSession: MainSession;
  readonly sessions: SessionStore;
  readonly models: ModelCatalog;
  readonly usage: UsageLedger;
  /** Workspace files for prompts; agents.files.set invalidates it. */
  readonly workspaceContext = new WorkspaceContextCache();
  /** Sections subsystems add to every agent's system prompt (memory, skills). */
  readonly promptSections: PromptSections;
  /** Who follows which session (sessions.subscribe, sessions.messages.subscribe). */
  readonly subscriptions = new SessionSubscriptions();
  private readonly runs: RunManager;

  constructor(private readonly rt: GatewayRuntime) {
    const config = () => rt.config.config;
    this.promptSections = new PromptSections((id, error) => rt.logger.warn('prompt section failed', { section: id, error: error.message }));
    this.agents = new AgentDirectory(config, rt.paths.stateDir);
    this.mainSession = new MainSession(config, () => this.agents.defaultId());
    this.sessions = new SessionStore(rt.paths.stateDir, rt.logger, this.mainSession, (id) => this.agents.workspaceOf(id));
    this.models = new ModelCatalog(config, rt.env, rt.logger);
    this.usage = new UsageLedger(join(rt.paths.stateDir, 'usage', 'usage.jsonl'), rt.logger);
    this.runs = new RunManager(
      {
        hub: rt.hub,
        logger: rt.logger,
        config,
        sessions: this.sessions,
        agents: this.agents,
        tools: this.tools,
        usage: this.usage,
        workspace: this.workspaceContext,
        promptSections: this.promptSections,
        sessionTools: wireSessionSubscriptions(rt, this, this.subscriptions),
        sessionsChanged: (payload) => this.sessionsChanged(payload),
      },
      this.models,
      fileIdempotencyStore(join(rt.paths.stateDir, 'runs', 'idempotency-keys.jsonl'), {
        onError: (error) => rt.logger.error('idempotency key store failed', { error: error.message }),
      }),
    );
    this.tools.addPolicy(configToolPolicy(config));
    registerSessionTools(this.tools, this);
    rt.health.extend(sessionHealthSources(this.agents, this.sessions));
    rt.onShutdown(async () => {
      await this.runs.shutdown();
      await this.sessions.flush();
      await this.usage.flush();
    });
  }

  /**
   * Accepts a run: validates agent, session, message and model, then starts it (or queues it
   * behind the session's current run). Returns at once; follow it through the handle.
   * Throws GatewayError: AGENT_NOT_FOUND, MODEL_NOT_FOUND, MESSAGE_REQUIRED, QUEUE_FULL.
   */
  startRun(request: AgentRunRequest): StartRunOutcome {
    return this.runs.start(request);
  }

  /** A run in flight, or one that ended within the idempotency window. */
  getRun(runId: string): AgentRunHandle | undefined {
    return this.runs.get(runId);
  }

  /** Running and queued runs of a session (or all sessions). */
  activeRuns(sessionKey?: string): AgentRunHandle[] {
    return this.runs.active(sessionKey === undefined ? undefined : this.sessions.canonical(sessionKey));
  }

  /** Aborts one run of the session, or all of them; returns the aborted run ids. */
  abortRuns(sessionKey: string, runId?: string): string[] {
    return this.runs.abort(this.sessions.canonical(sessionKey), runId);
  }

  /** abortRuns, then `sessions.changed` (reason `abort`) when any run was aborted. */
  abortRunsAndAnnounce(sessionKey: string, runId?: string): string[] {
    const runIds = this.abortRuns(sessionKey, runId);
    if (runIds.length > 0) {
      const payload: Mutable<EventPayload<'sessions.changed'>> = { sessionKey: this.sessions.canonical(sessionKey), reason: 'abort', ts: Date.now() };
      if (runIds.length === 1) payload.runId = runIds[0];
      this.sessionsChanged(payload);
    }
    return runIds;
  }

  /**
   * Runs a session operation (compact, reset, delete) with the session to itself: SESSION_BUSY when
   * a run is active; runs sent meanwhile wait until it is done.
   */
  exclusive<T>(sessionKey: string, operation: () => Promise<T>): Promise<T> {
    return this.runs.exclusive(this.sessions.canonical(sessionKey), operation);
  }

  /** Aborts the session's runs and waits (bounded) until they have recorded their partial replies. */
  async abortAndSettle(sessionKey: string, timeoutMs = 5000): Promise<string[]> {
    const runs = this.activeRuns(sessionKey);
    const ids = runs.filter((r) => r.abort('session reset')).map((r) => r.runId);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(runs.map((r) => r.done)), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    return ids;
  }

  /** Creates (or reuses) a session, optionally as a child of another, and starts `message` in it. */
  spawnSession(request: SpawnRequest): SpawnOutcome {
    const parent = request.parentSessionKey ? this.sessions.canonical(request.parentSessionKey) : undefined;
    const fromKey = request.key ? parseSessionKey(this.sessions.canonical(request.key))?.agentId : undefined;
    const agentId = this.agents.require(request.agentId ?? fromKey ?? (parent ? this.sessions.agentOf(parent) : this.agents.defaultId())).id;
    if (request.model) this.models.resolve(request.model, agentId);
    const key = this.sessions.canonical(request.key ?? `agent:${agentId}:spawn:${randomUUID().slice(0, 8)}`);
    const parentEntry = parent ? this.sessions.get(parent) : undefined;
    const init: Partial<StoredSessionEntry> = {};
    if (request.label) init.label = request.label;
    if (request.model) init.modelOverride = request.model;
    if (parent) {
      init.spawnedBy = parent;
      init.parentSessionKey = parent;
      init.spawnDepth = (parentEntry?.spawnDepth ?? 0) + 1;
    }
    const { entry, created } = this.sessions.ensure(key, init);
    if (!created && Object.keys(init).length > 0) this.sessions.update(key, (e) => Object.assign(e, init));
    this.sessions.transcript(key)?.ensureHeader();
    if (parent && parentEntry) {
      this.sessions.update(parent, (e) => {
        const children = new Set(Array.isArray(e.childSessions) ? e.childSessions : []);
        children.add(key);
        e.childSessions = [...children];
      });
    }
    this.sessionsChanged({ sessionKey: key, reason: created ? 'create' : 'patch', ts: Date.now() });
    let run: AgentRunHandle | undefined;
    if (request.message && request.message.trim()) {
      run = this.startRun({
        caller: request.caller,
        agentId,
        sessionKey: key,
        message: request.message,
        ...(request.toolEventRecipient ? { toolEventRecipient: request.toolEventRecipient } : {}),
      }).run;
    }
    return { key, sessionId: entry.sessionId, entry, created, run };
  }

  sessionsChanged(payload: EventPayload<'sessions.changed'>): void {
    this.rt.hub.publish('sessions.changed', payload);
  }

  // SessionToolHost (the session tools)
  listSessions(agentId: string, options: { limit: number; activeMinutes?: number }): SessionRow[] {
    const since = options.activeMinutes ? Date.now() - options.activeMinutes * 60_000 : 0;
    return this.sessions
      .list([agentId])
      .filter(({ entry }) => entry.updatedAt >= since)
      .sort((a, b) => b.entry.updatedAt - a.entry.updatedAt)
      .slice(0, options.limit)
      .map(({ key, entry }) => toSessionRow(key, entry, { lastMessage: true }));
  }

  sessionRow(sessionKey: string): SessionRow | undefined {
    const key = this.sessions.canonical(sessionKey);
    const entry = this.sessions.get(key);
    return entry ? toSessionRow(key, entry, { lastMessage: true }) : undefined;
  }

  spawnChild(params: { agentId: string; parentSessionKey: string | undefined; task: string; label?: string; model?: string }): {
    key: string;
    sessionId: string;
    runId?: string;
  } {
    const depth = params.parentSessionKey ? (this.sessions.get(params.parentSessionKey)?.spawnDepth ?? 0) : 0;
    if (depth >= MAX_SPAWN_DEPTH) throw new Error(`sessions may nest ${MAX_SPAWN_DEPTH} deep; do the task in this session instead`);
    const request: Mutable<SpawnRequest> = { caller: { kind: 'agent' }, agentId: params.agentId, message: params.task };
    if (params.parentSessionKey) request.parentSessionKey = params.parentSessionKey;
    if (params.label) request.label = params.label;
    if (params.model) request.model = params.model;
    const outcome = this.spawnSession(request);
    return { key: outcome.key, sessionId: outcome.sessionId, ...(outcome.run ? { runId: outcome.run.runId } : {}) };
  }
}

