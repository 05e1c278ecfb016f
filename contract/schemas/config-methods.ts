import { z } from 'zod';

export const ConfigIssue = z.object({
  path: z.string(),
  message: z.string(),
  allowedValues: z.array(z.string()).optional(),
});

export const ConfigSnapshot = z.object({
  path: z.string(),
  exists: z.boolean(),
  /** The file text with secrets replaced by the redaction sentinel; null when invalid or missing. */
  raw: z.string().nullable(),
  parsed: z.unknown(),
  config: z.record(z.string(), z.unknown()),
  valid: z.boolean(),
  /** Hex SHA-256 of the raw file text; the `baseHash` of the next write. Empty when the file does not exist. */
  hash: z.string(),
  issues: z.array(ConfigIssue),
  warnings: z.array(ConfigIssue),
});

const Raw = z.string().max(4 * 1024 * 1024);
const BaseHash = z.string().regex(/^[0-9a-f]{64}$/).optional();

export const ConfigSetParams = z.strictObject({ raw: Raw, baseHash: BaseHash });

export const ConfigWriteParams = z.strictObject({
  raw: Raw,
  baseHash: BaseHash,
  sessionKey: z.string().optional(),
  deliveryContext: z
    .strictObject({
      channel: z.string().optional(),
      to: z.string().optional(),
      accountId: z.string().optional(),
      threadId: z.string().optional(),
    })
    .optional(),
  note: z.string().max(2000).optional(),
  restartDelayMs: z.number().int().min(0).max(60_000).optional(),
});

export const ConfigWriteResult = z.object({
  ok: z.literal(true),
  path: z.string(),
  config: z.record(z.string(), z.unknown()),
  hash: z.string(),
  noop: z.boolean().optional(),
  /** Paths whose change needs a gateway restart to take effect. */
  restartRequired: z.array(z.string()).optional(),
});

export const ConfigSchemaResult = z.object({
  schema: z.unknown(),
  uiHints: z.record(
    z.string(),
    z.object({
      label: z.string().optional(),
      help: z.string().optional(),
      sensitive: z.boolean().optional(),
      group: z.string().optional(),
    }),
  ),
  version: z.string(),
  generatedAt: z.string(),
});
