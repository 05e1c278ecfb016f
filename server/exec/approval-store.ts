// The store seam for approval requests: pending ones and recently settled ones (so a late
// resolve or get after a restart answers "expired", never "unknown id"). Default: one JSON
// document in the state dir, replaced atomically on every change.
import { z } from 'zod';
import { fileDocumentStore } from '../state/document-store.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { ApprovalRecord } from './approval-record.js';

export interface ApprovalStore {
  readonly location: string;
  load(): ApprovalRecord[];
  save(records: readonly ApprovalRecord[]): void;
}

const ApprovalDocument = z.object({ version: z.literal(1), records: z.array(ApprovalRecord) });

export function fileApprovalStore(path: string, logger: GatewayLogger): ApprovalStore {
  const doc = fileDocumentStore(path, ApprovalDocument, { quarantineInvalid: true });
  return {
    location: path,
    load() {
      const loaded = doc.load();
      if (loaded.state === 'ok') return loaded.value.records;
      if (loaded.state === 'invalid') logger.error('exec approvals file was unreadable and was set aside', { path, reason: loaded.reason, movedTo: loaded.movedTo });
      return [];
    },
    save(records) {
      doc.save({ version: 1, records: [...records] });
    },
  };
}
