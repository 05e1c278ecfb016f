// Every approval decision, who made it and when: requested, allowed, denied, expired, and the
// ask fallback applied when no approver was connected. Append-only JSONL in the state dir.
import type { RecordLog } from '../state/record-log.js';

export interface ApprovalLogEntry {
  readonly ts: number;
  readonly id: string | null;
  readonly event: 'requested' | 'allowed' | 'denied' | 'expired' | 'fallback';
  readonly decision?: string | null;
  readonly command: string;
  readonly agentId?: string | null;
  readonly sessionKey?: string | null;
  /** Who decided: a client's display name or id, `policy` for fallbacks, `gateway` for expiry. */
  readonly by?: string | null;
  readonly connId?: string;
  readonly deviceId?: string;
  readonly remoteAddress?: string;
  readonly reason?: string;
}

export type ApprovalLog = RecordLog<ApprovalLogEntry>;
