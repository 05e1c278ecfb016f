// Nodes of one gateway: the registry of connected nodes, node pairing, node.invoke with its
// approval path, the `nodes` agent tool, and the nodes section of health and status.
import type { NodesHealth } from '../../contract/schemas/system.js';
import type { z } from 'zod';
import type { NodeHandlers } from '../../generated/server/handlers.js';
import type { InProcessCaller } from '../core/in-process-caller.js';
import type { DevicesService } from '../devices/devices-service.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import { NodeInvoker } from './node-invoke.js';
import { NodePairing } from './node-pairing.js';
import { NodeRegistry } from './node-registry.js';
import { NodeRunApprovals } from './node-run-approval.js';
import { createNodesHandlers } from './nodes-handlers.js';
import { registerNodesTool } from './nodes-tool.js';

export class NodesService {
  readonly registry: NodeRegistry;
  readonly pairing: NodePairing;
  readonly invoker: NodeInvoker;
  private readonly approvals: NodeRunApprovals;
  private toolCaller: InProcessCaller | undefined;

  constructor(
    private readonly rt: GatewayRuntime,
    devices: DevicesService,
    tools: ToolRegistry,
  ) {
    this.registry = new NodeRegistry(rt.hub);
    this.pairing = new NodePairing(devices.pairing, devices.store, rt.hub);
    this.approvals = new NodeRunApprovals(rt);
    this.invoker = new NodeInvoker(rt, this.registry, this.pairing, this.approvals);
    rt.health.extend({ nodes: () => this.health() });
    // Health (and so status) follows nodes coming and going.
    this.registry.onChange(() => rt.health.refresh());
    registerNodesTool(tools, () => (this.toolCaller ??= rt.createCaller({ id: 'tool:nodes', scopes: ['operator.read', 'operator.write'] })));
    rt.onShutdown(() => {
      this.approvals.close();
      this.toolCaller?.close();
    });
  }

  health(): z.infer<typeof NodesHealth> {
    const paired = this.pairing.pairedNodes();
    return {
      connected: this.registry.list().map((s) => {
        const row: { nodeId: string; displayName?: string; platform?: string; paired: boolean; connectedAtMs: number } = {
          nodeId: s.nodeId,
          platform: s.connection.client.platform,
          paired: paired.has(s.nodeId),
          connectedAtMs: s.connectedAtMs,
        };
        const name = paired.get(s.nodeId)?.displayName ?? s.connection.client.displayName;
        if (name) row.displayName = name;
        return row;
      }),
      paired: paired.size,
      pending: this.pairing.list().pending.length,
    };
  }

  handlers(): NodeHandlers {
    return createNodesHandlers(this.rt, this.registry, this.pairing, this.invoker);
  }
}
