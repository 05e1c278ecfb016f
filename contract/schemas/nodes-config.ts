// gateway.nodes (which node commands node.invoke may send) and discovery (Bonjour/mDNS), with
// upstream's keys (reference §8.3, §9).
import { z } from 'zod';

const CommandList = z.array(z.string().min(1).max(256)).max(1024);

export const GatewayNodesConfig = z.looseObject({
  /** Commands allowed beyond the platform defaults (dangerous ones such as camera.snap need this). */
  allowCommands: CommandList.optional(),
  /** Commands never sent to any node; wins over allowCommands and the defaults. */
  denyCommands: CommandList.optional(),
  /** Default time a node has to answer node.invoke when the call names none (ms, default 30 000). */
  invokeTimeoutMs: z.number().int().min(1).max(2_147_483_647).optional(),
  browser: z.looseObject({}).optional(),
});
export type GatewayNodesConfig = z.infer<typeof GatewayNodesConfig>;

export const DiscoveryConfig = z.looseObject({
  mdns: z
    .looseObject({
      /** off: never advertise; minimal (default): no cliPath/sshPort; full: everything. */
      mode: z.enum(['off', 'minimal', 'full']).optional(),
      /** Advertise even when the gateway listens on loopback only (default: only when bound beyond it). */
      enabled: z.boolean().optional(),
      /** The instance name's host part (default OPENCLAW_MDNS_HOSTNAME or "openclaw"). */
      hostname: z.string().min(1).max(63).optional(),
      displayName: z.string().min(1).max(255).optional(),
    })
    .optional(),
  wideArea: z.looseObject({}).optional(),
});
export type DiscoveryConfig = z.infer<typeof DiscoveryConfig>;
