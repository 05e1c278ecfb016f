// One open tab: its Playwright page, the console messages and dialogs it produced, and the dialog
// answer or upload files armed for what it opens next.
import type { ConsoleMessage, Dialog, FileChooser, Page } from 'playwright-core';

const MAX_CONSOLE_MESSAGES = 200;
const MAX_CONSOLE_TEXT = 2000;
const MAX_DIALOGS = 20;

/** Upstream's console message shape. */
export interface ConsoleEntry {
  readonly type: string;
  readonly text: string;
  readonly timestamp: number;
  readonly location?: { readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
}

export interface DialogEntry {
  readonly type: string;
  readonly message: string;
  readonly action: 'accepted' | 'dismissed';
  readonly at: number;
}

interface DialogArm {
  readonly accept: boolean;
  readonly promptText: string | undefined;
  readonly expiresAt: number;
}

interface ChooserArm {
  readonly paths: readonly string[];
  readonly expiresAt: number;
}

export class BrowserTab {
  readonly console: ConsoleEntry[] = [];
  readonly dialogs: DialogEntry[] = [];
  private dialogArm: DialogArm | undefined;
  private chooserArm: ChooserArm | undefined;

  constructor(
    readonly targetId: string,
    readonly page: Page,
  ) {
    page.on('console', (message) => this.onConsole(message));
    page.on('pageerror', (error) => this.pushConsole({ type: 'error', text: `${error.name}: ${error.message}`.slice(0, MAX_CONSOLE_TEXT), timestamp: Date.now() }));
    page.on('dialog', (dialog) => void this.onDialog(dialog));
    page.on('filechooser', (chooser) => void this.onFileChooser(chooser));
  }

  get closed(): boolean {
    return this.page.isClosed();
  }

  /** The next dialog is accepted (with `promptText` for a prompt) or dismissed; unarmed dialogs are dismissed. */
  armDialog(accept: boolean, promptText: string | undefined, timeoutMs: number): void {
    this.dialogArm = { accept, promptText, expiresAt: Date.now() + timeoutMs };
  }

  /** The next file chooser the page opens gets `paths`. */
  armFileChooser(paths: readonly string[], timeoutMs: number): void {
    this.chooserArm = { paths, expiresAt: Date.now() + timeoutMs };
  }

  dialogsSince(since: number): DialogEntry[] {
    return this.dialogs.filter((d) => d.at >= since);
  }

  private pushConsole(entry: ConsoleEntry): void {
    this.console.push(entry);
    if (this.console.length > MAX_CONSOLE_MESSAGES) this.console.shift();
  }

  private onConsole(message: ConsoleMessage): void {
    const location = message.location();
    const entry: { type: string; text: string; timestamp: number; location?: ConsoleEntry['location'] } = {
      type: message.type(),
      text: message.text().slice(0, MAX_CONSOLE_TEXT),
      timestamp: Date.now(),
    };
    if (location.url) entry.location = { url: location.url, lineNumber: location.lineNumber, columnNumber: location.columnNumber };
    this.pushConsole(entry);
  }

  private async onDialog(dialog: Dialog): Promise<void> {
    const arm = this.dialogArm && this.dialogArm.expiresAt >= Date.now() ? this.dialogArm : undefined;
    this.dialogArm = undefined;
    const accept = arm?.accept ?? false;
    this.dialogs.push({ type: dialog.type(), message: dialog.message().slice(0, MAX_CONSOLE_TEXT), action: accept ? 'accepted' : 'dismissed', at: Date.now() });
    if (this.dialogs.length > MAX_DIALOGS) this.dialogs.shift();
    try {
      if (accept) await dialog.accept(arm?.promptText);
      else await dialog.dismiss();
    } catch {
      // the page closed meanwhile
    }
  }

  private async onFileChooser(chooser: FileChooser): Promise<void> {
    const arm = this.chooserArm && this.chooserArm.expiresAt >= Date.now() ? this.chooserArm : undefined;
    if (!arm) return;
    this.chooserArm = undefined;
    try {
      await chooser.setFiles([...arm.paths]);
    } catch {
      // the page closed meanwhile
    }
  }
}
