// The exec subsystem of one gateway: the policy file, the approval store and decision log, the
// approval manager, the exec and process tools, and their methods. At start it recovers what the
// last process left (and tells the sessions whose approvals died with it); at shutdown it expires
// the approvals runs wait on (so the runs record why) and ends every child it started.
import { join } from 'node:path';
import type { GatewayRuntime } from '../gateway-runtime.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import { fileRecordLog } from '../state/record-log.js';
import type { ApprovalLogEntry } from './approval-log.js';
import { ExecApprovalManager } from './approval-manager.js';
import type { ApprovalRecord } from './approval-record.js';
import { fileApprovalStore, type ApprovalStore } from './approval-store.js';
import { createExecApprovalHandlers } from './exec-approval-handlers.js';
import { fileExecPolicyStore, type ExecPolicyStore } from './exec-policy-file.js';
import { createExecPolicyHandlers } from './exec-policy-handlers.js';
import { ExecRuntime } from './exec-runtime.js';
import { execToolDefinition } from './exec-tool.js';
import { processToolDefinition } from './process-tool.js';

export interface ExecServiceOptions {
  readonly tools: ToolRegistry;
  readonly workspaceOf: (agentId: string) => string;
  /** Store seams; default files in the state dir. */
  readonly policyStore?: ExecPolicyStore;
  readonly approvalStore?: ApprovalStore;
}

export class ExecService {
  readonly policyStore: ExecPolicyStore;
  readonly approvals: ExecApprovalManager;
  readonly runtime: ExecRuntime;

  constructor(
    private readonly rt: GatewayRuntime,
    options: ExecServiceOptions,
  ) {
    const dir = rt.paths.stateDir;
    this.policyStore = options.policyStore ?? fileExecPolicyStore(join(dir, 'exec-approvals.json'));
    const log = fileRecordLog<ApprovalLogEntry>(join(dir, 'exec-approvals', 'decisions.jsonl'), {
      maxBytes: 4 * 1024 * 1024,
      onError: (error) => rt.logger.error('exec decision log write failed', { error: error.message }),
    });
    this.approvals = new ExecApprovalManager(options.approvalStore ?? fileApprovalStore(join(dir, 'exec-approvals', 'pending.json'), rt.logger), log, rt.hub, rt.logger);
    this.runtime = new ExecRuntime({
      config: () => rt.config.config,
      env: rt.env,
      hub: rt.hub,
      logger: rt.logger,
      policyStore: this.policyStore,
      approvals: this.approvals,
      workspaceOf: options.workspaceOf,
    });
    options.tools.register(execToolDefinition(this.runtime));
    options.tools.register(processToolDefinition(this.runtime.background));
    const lost = this.approvals.recover();
    // Sessions are told through the dispatcher, once the gateway is assembled.
    if (lost.length > 0) setImmediate(() => void this.tellSessions(lost));
    rt.onShutdown(async () => {
      this.approvals.expireToolRequests();
      // Let the waiting runs record the expiry as their tool result before they are aborted.
      await new Promise((resolve) => setImmediate(resolve));
      await this.runtime.shutdown();
      await log.close();
    });
  }

  handlers() {
    return { ...createExecApprovalHandlers(this.approvals, this.rt.hub), ...createExecPolicyHandlers(this.policyStore) };
  }

  private async tellSessions(lost: readonly ApprovalRecord[]): Promise<void> {
    const caller = this.rt.createCaller({ id: 'exec-approvals', scopes: ['operator.admin'] });
    try {
      for (const record of lost) {
        const sessionKey = record.owner.sessionKey;
        if (!sessionKey) continue;
        const message = `Exec approval ${record.id} for \`${record.request.commandPreview ?? record.request.command}\` expired: the gateway restarted before anyone decided, so the command did not run. Ask again to run it.`;
        await caller.call('chat.inject', { sessionKey, message, label: 'exec-approval' }).catch((error: Error) => {
          this.rt.logger.warn('could not tell a session about its expired exec approval', { sessionKey, id: record.id, error: error.message });
        });
      }
    } finally {
      caller.close();
    }
  }
}
