// agents.files.list / get / set: the allowed workspace files of an agent, nothing outside it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentsHandlers } from '../../generated/server/handlers.js';
import type { AgentRuntime } from '../chat/agent-runtime.js';
import { errorsFor } from '../../generated/server/method-errors.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import { describeWorkspaceFile, listWorkspaceFiles, readWorkspaceFile, resolveWorkspaceFile } from './workspace-files.js';

export function createAgentFilesHandlers(agents: AgentRuntime): Pick<AgentsHandlers, 'agents.files.list' | 'agents.files.get' | 'agents.files.set'> {
  return {
    'agents.files.list': (params) => {
      const agent = agents.agents.require(params.agentId);
      return { agentId: agent.id, workspace: agent.workspace, files: listWorkspaceFiles(agent.workspace) };
    },

    'agents.files.get': (params) => {
      const agent = agents.agents.require(params.agentId);
      const info = describeWorkspaceFile(agent.workspace, params.name);
      if (info.missing) {
        throw errorsFor('agents.files.get').FILE_NOT_FOUND({ name: params.name }, `${params.name} does not exist in the workspace of ${agent.id} yet; agents.files.set creates it`);
      }
      return { agentId: agent.id, workspace: agent.workspace, file: { ...info, content: readWorkspaceFile(info.path, params.name) } };
    },

    'agents.files.set': (params) => {
      const agent = agents.agents.require(params.agentId);
      const path = resolveWorkspaceFile(agent.workspace, params.name);
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileAtomic(path, params.content, 0o600);
      agents.workspaceContext.invalidate();
      return { ok: true as const, agentId: agent.id, workspace: agent.workspace, file: { ...describeWorkspaceFile(agent.workspace, params.name), content: params.content } };
    },
  };
}
