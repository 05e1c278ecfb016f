// Files picked for a chat turn, read as base64 for chat.send `attachments` (at most 5 MB each and
// 32 per turn, as the contract bounds them), images with a local preview.
export type WireAttachment = {
  readonly type: 'image' | 'file';
  readonly mimeType: string;
  readonly fileName: string;
  readonly content: string;
};

export interface PendingAttachment {
  readonly wire: WireAttachment;
  readonly previewUrl: string | undefined;
}

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS = 32;

function base64Of(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('cannot read the file'));
    reader.readAsDataURL(file);
  });
}

export async function readAttachments(files: FileList | null, already: number): Promise<{ accepted: PendingAttachment[]; refused: string[] }> {
  const accepted: PendingAttachment[] = [];
  const refused: string[] = [];
  for (const file of Array.from(files ?? [])) {
    if (already + accepted.length >= MAX_ATTACHMENTS) {
      refused.push(`${file.name}: at most ${MAX_ATTACHMENTS} attachments per message`);
      continue;
    }
    if (file.size > MAX_ATTACHMENT_BYTES) {
      refused.push(`${file.name} is larger than 5 MB`);
      continue;
    }
    const image = /^image\/(png|jpeg|gif|webp)$/.test(file.type);
    try {
      const content = await base64Of(file);
      accepted.push({
        wire: { type: image ? 'image' : 'file', mimeType: file.type || 'application/octet-stream', fileName: file.name, content },
        previewUrl: image ? URL.createObjectURL(file) : undefined,
      });
    } catch (error) {
      refused.push(`${file.name}: ${(error as Error).message}`);
    }
  }
  return { accepted, refused };
}
