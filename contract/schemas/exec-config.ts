// `tools.exec` in openclaw.json (also per agent under agents.list[].tools.exec): limits of the
// exec tool. The standing rules (allowlists, ask mode) live in exec-approvals.json; `security` and
// `ask` here can only make that policy stricter, as upstream.
import { z } from 'zod';
import { EXEC_ASK_MODES, EXEC_SECURITY_MODES } from './exec-approvals.js';

export const ExecToolConfig = z.looseObject({
  security: z.enum(EXEC_SECURITY_MODES).optional(),
  ask: z.enum(EXEC_ASK_MODES).optional(),
  /** Default command timeout (300 s); a call may ask for up to 24 h. */
  timeoutSec: z.number().int().min(1).max(86_400).optional(),
  /** How long an approval request waits for a decision (default 30 min). */
  approvalTimeoutMs: z.number().int().min(1_000).max(7 * 86_400_000).optional(),
  /** Characters kept per stream (stdout, stderr) of one command; the middle is cut with a marker. */
  maxOutputChars: z.number().int().min(1_000).max(10_000_000).optional(),
  /** Background processes running at once (default 8). */
  maxBackground: z.number().int().min(0).max(64).optional(),
  /** Read-only programs allowed without a rule (replaces the default list). */
  safeBins: z.array(z.string().regex(/^[A-Za-z0-9._+-]{1,64}$/)).max(256).optional(),
  /** Environment variables passed to commands even though their names look like secrets. */
  envPassthrough: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/)).max(256).optional(),
  /** Directories (and what is below them) a command may start in besides the agent's workspace. */
  allowedCwds: z.array(z.string().min(1).max(4096)).max(64).optional(),
});
export type ExecToolConfig = z.infer<typeof ExecToolConfig>;
