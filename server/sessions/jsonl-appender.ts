// Appends lines to a file: each append is one synchronous write() (in the page cache at once, so
// it survives a killed process), and the fdatasync that makes it survive a power cut runs off the
// event loop, batched (group commit) when appends come faster than the disk syncs.
import { closeSync, fdatasync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export class JsonlAppender {
  private fd: number | undefined;
  private syncing: Promise<void> | undefined;
  private dirty = false;

  constructor(
    readonly path: string,
    private readonly onError: (error: Error) => void,
    /** fdatasync after writes (transcripts); off for best-effort logs. */
    private readonly durable = true,
  ) {}

  /** Nothing waiting for fdatasync. */
  get idle(): boolean {
    return this.syncing === undefined && !this.dirty;
  }

  /** Writes text (one or more complete lines) now; the sync follows in the background. */
  append(text: string): void {
    try {
      if (this.fd === undefined) {
        mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
        this.fd = openSync(this.path, 'a', 0o600);
      }
      const data = Buffer.from(text, 'utf8');
      let offset = 0;
      while (offset < data.length) offset += writeSync(this.fd, data, offset, data.length - offset);
    } catch (error) {
      this.onError(error as Error);
      return;
    }
    if (!this.durable) return;
    this.dirty = true;
    this.syncing ??= this.syncLoop();
  }

  /** Resolves when everything appended so far is synced. */
  async flush(): Promise<void> {
    while (this.syncing) await this.syncing;
  }

  /** Flushes and closes the file (before it is renamed, rewritten or deleted). The next append reopens it. */
  async close(): Promise<void> {
    await this.flush();
    if (this.fd !== undefined) {
      const fd = this.fd;
      this.fd = undefined;
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
  }

  private async syncLoop(): Promise<void> {
    try {
      while (this.dirty && this.fd !== undefined) {
        this.dirty = false;
        const fd = this.fd;
        await new Promise<void>((resolve) =>
          fdatasync(fd, (error) => {
            if (error) this.onError(error);
            resolve();
          }),
        );
      }
    } finally {
      this.syncing = undefined;
    }
  }
}
