// A secret in the config: given inline, or a reference (env variable, file, command) resolved at load time.
import { z } from 'zod';

export const SecretInput = z.union([
  z.string(),
  z.strictObject({
    source: z.enum(['env', 'file', 'exec']),
    provider: z.string().optional(),
    id: z.string().min(1),
  }),
]);
export type SecretInput = z.infer<typeof SecretInput>;
