// The session tools this gateway ships: list sessions, show one session's status, spawn a child
// session that works on a task. Other subsystems add theirs the same way.
import { z } from 'zod';
import type { SessionRow } from '../../contract/schemas/sessions.js';
import type { ToolRegistry } from './tool-registry.js';

export interface SessionToolHost {
  listSessions(agentId: string, options: { limit: number; activeMinutes?: number }): SessionRow[];
  sessionRow(sessionKey: string): SessionRow | undefined;
  spawnChild(params: { agentId: string; parentSessionKey: string | undefined; task: string; label?: string; model?: string }): {
    key: string;
    sessionId: string;
    runId?: string;
  };
}

export function registerSessionTools(registry: ToolRegistry, host: SessionToolHost): void {
  registry.register({
    name: 'sessions_list',
    label: 'List sessions',
    group: 'sessions',
    description: "Lists this agent's sessions, most recently active first, with their token use and last message.",
    parameters: z.strictObject({
      limit: z.number().int().min(1).max(200).optional().describe('How many sessions (default 20).'),
      activeMinutes: z.number().int().min(1).max(525_600).optional().describe('Only sessions active within this many minutes.'),
    }),
    run: (args, ctx) => ({
      sessions: host.listSessions(ctx.agentId, { limit: args.limit ?? 20, ...(args.activeMinutes ? { activeMinutes: args.activeMinutes } : {}) }),
    }),
  });

  registry.register({
    name: 'session_status',
    label: 'Session status',
    group: 'sessions',
    description: 'Shows the status of a session (default: the current one): model, token use, cost, last run.',
    parameters: z.strictObject({
      sessionKey: z.string().min(1).max(512).optional().describe('Session key; default the current session.'),
    }),
    run: (args, ctx) => {
      const key = args.sessionKey ?? ctx.sessionKey;
      if (!key) throw new Error('no session given and no current session');
      const row = host.sessionRow(key);
      if (!row) throw new Error(`session not found: ${key}`);
      return row;
    },
  });

  registry.register({
    name: 'sessions_spawn',
    label: 'Spawn a session',
    group: 'sessions',
    dangerous: true,
    description: 'Starts a child session that works on a task in the background. Returns its key and run id; use session_status to follow it.',
    parameters: z.strictObject({
      task: z.string().min(1).max(100_000).describe('What the child session should do.'),
      label: z.string().min(1).max(200).optional(),
      agentId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/).optional().describe('Agent to run it (default: this agent).'),
      model: z.string().min(1).max(256).optional().describe('"<provider>/<model>" for the child.'),
    }),
    run: (args, ctx) => {
      const optional: { label?: string; model?: string } = {};
      if (args.label) optional.label = args.label;
      if (args.model) optional.model = args.model;
      return host.spawnChild({ agentId: args.agentId ?? ctx.agentId, parentSessionKey: ctx.sessionKey, task: args.task, ...optional });
    },
  });
}
