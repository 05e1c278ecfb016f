// Primitives shared by several namespaces. Limits here are the gateway's input bounds; upstream
// clients stay well inside them.
import { z } from 'zod';

export const SessionKey = z.string().min(1).max(512);
export const IdempotencyKey = z.string().min(1).max(256);
export const RunId = z.string().min(1).max(256);
/** Agent ids are `[a-z0-9][a-z0-9_-]{0,63}`; upper case is accepted and folded by the handlers, as upstream does. */
export const AgentId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);
export const Label = z.string().min(1).max(512);
/** Channel, account, thread, model and similar identifiers. */
export const Ident = z.string().max(256);
export const MessageText = z.string().max(1_000_000);
/** Node's setTimeout ceiling; a larger value would fire at once. */
export const TimeoutMs = z.number().int().min(0).max(2_147_483_647);
export const EpochMs = z.number().int().min(0);
export const Count = z.number().int().min(0);
export const Cursor = z.number().int().min(0).max(1_000_000_000);

export const INPUT_PROVENANCE_KINDS = [
  'external_user',
  'inter_session',
  'internal_system',
  'room_observation',
] as const;

export const InputProvenance = z.strictObject({
  kind: z.enum(INPUT_PROVENANCE_KINDS),
  originSessionId: Ident.optional(),
  sourceSessionKey: SessionKey.optional(),
  sourceChannel: Ident.optional(),
  sourceTool: Ident.optional(),
});

/** Upstream types attachments as `unknown[]`, so extra keys on an item are tolerated. */
export const Attachment = z.looseObject({
  type: z.string().max(64).optional(),
  mimeType: z.string().max(256).optional(),
  fileName: z.string().max(1024).optional(),
  /** Base64; 5 MB decoded. */
  content: z.string().max(7_000_000).optional(),
});
export const Attachments = z.array(Attachment).max(32);

export const TokenUsage = z.looseObject({
  input: Count.optional(),
  output: Count.optional(),
  cacheRead: Count.optional(),
  cacheWrite: Count.optional(),
  totalTokens: Count.optional(),
  cost: z
    .looseObject({
      input: z.number().min(0).optional(),
      output: z.number().min(0).optional(),
      cacheRead: z.number().min(0).optional(),
      cacheWrite: z.number().min(0).optional(),
      total: z.number().min(0).optional(),
    })
    .optional(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

/** One block of a transcript message: text, image, toolCall, thinking… (open, as transcripts are). */
export const ContentBlock = z.looseObject({
  type: z.string().min(1),
  text: z.string().optional(),
});

/** `custom` rows (upstream's app-defined transcript entries) appear in upstream chat.history. */
export const MESSAGE_ROLES = ['user', 'assistant', 'system', 'tool', 'toolResult', 'custom'] as const;

export const TranscriptMessage = z.looseObject({
  role: z.enum(MESSAGE_ROLES),
  content: z.union([z.string(), z.array(ContentBlock)]),
  timestamp: EpochMs.optional(),
});
export type TranscriptMessage = z.infer<typeof TranscriptMessage>;

export const OkTrue = z.literal(true);

/** HTTP bodies are capped at 20 MiB by default; no single string in one can be longer. */
export const MAX_HTTP_TEXT = 20 * 1024 * 1024;
