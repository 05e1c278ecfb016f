// agents.files.list / get / set: the allowed workspace files of an agent, nothing outside it.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentsHandlers } from '../../generated/server/handlers.js';
import type { AgentRuntime } from '../chat/agent-runtime.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import { describeWorkspaceFile, listWorkspaceFiles, readWorkspaceFile, resolveWorkspaceFile } from './workspace-files.js';

/** Hex SHA-256 of the file's text, as upstream's `file.hash`. */
const contentHash = (content: string): string => createHash('sha256').update(content, 'utf8').digest('hex');

export function createAgentFilesHandlers(agents: AgentRuntime): Pick<AgentsHandlers, 'agents.files.list' | 'agents.files.get' | 'agents.files.set'> {
  return {
    'agents.files.list': (params) => {
      const agent = agents.agents.require(params.agentId);
      return { agentId: agent.id, workspace: agent.workspace, files: listWorkspaceFiles(agent.workspace) };
    },

    'agents.files.get': (params) => {
      const agent = agents.agents.require(params.agentId);
      const info = describeWorkspaceFile(agent.workspace, params.name);
      // An allowed file not created yet is an answer, not an error (upstream clients read `missing`).
      if (info.missing) return { agentId: agent.id, workspace: agent.workspace, file: info };
      const content = readWorkspaceFile(info.path, params.name);
      return { agentId: agent.id, workspace: agent.workspace, file: { ...info, content, hash: contentHash(content) } };
    },

    'agents.files.set': (params) => {
      const agent = agents.agents.require(params.agentId);
      const path = resolveWorkspaceFile(agent.workspace, params.name);
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileAtomic(path, params.content, 0o600);
      agents.workspaceContext.invalidate();
      return {
        ok: true as const,
        agentId: agent.id,
        workspace: agent.workspace,
        file: { ...describeWorkspaceFile(agent.workspace, params.name), content: params.content, hash: contentHash(params.content) },
      };
    },
  };
}
