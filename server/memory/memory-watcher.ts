// Follows an agent's memory files (MEMORY.md, memory.md, memory/*.md) with chokidar and calls back
// once per burst of changes (debounced). It only hints: searches still check the files themselves.
import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { isMemoryPath } from './memory-files.js';

export class MemoryWatcher {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ready = false;
  /** Workspace-relative paths changed since the last callback; undefined means "check everything". */
  private pending: Set<string> | undefined = new Set();
  private failed: string | undefined;

  constructor(
    readonly workspace: string,
    private readonly debounceMs: number,
    /** Called with the memory files that changed, or undefined when a folder changed (check all). */
    private readonly onChange: (paths: ReadonlySet<string> | undefined) => void,
    private readonly onError: (message: string) => void,
  ) {}

  /** Starts watching when the workspace exists; returns whether it is watching. */
  start(): boolean {
    if (this.watcher) return this.active;
    if (!existsSync(this.workspace)) return false;
    const relevant = (path: string): boolean => {
      const rel = relative(this.workspace, path).split(sep).join('/');
      return rel === '' || rel === 'memory' || isMemoryPath(rel);
    };
    this.failed = undefined;
    this.watcher = watch(this.workspace, { ignoreInitial: true, depth: 1, ignored: (path) => !relevant(path), followSymlinks: false });
    this.watcher.on('ready', () => (this.ready = true));
    this.watcher.on('all', (event, path) => {
      const rel = relative(this.workspace, path).split(sep).join('/');
      if (event === 'addDir' || event === 'unlinkDir' || !isMemoryPath(rel)) this.pending = undefined;
      else this.pending?.add(rel);
      this.schedule();
    });
    this.watcher.on('error', (error) => {
      this.failed = (error as Error).message;
      this.onError(`memory watcher stopped: ${this.failed}`);
      void this.stop();
    });
    return true;
  }

  /** Watching and not failed (until `ready`, changes may be missed: the staleness check covers them). */
  get active(): boolean {
    return this.watcher !== undefined && this.failed === undefined;
  }

  /** Changes seen but not yet handed to the callback (it is debounced). */
  get hasPending(): boolean {
    return this.timer !== undefined;
  }

  get isReady(): boolean {
    return this.ready;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const paths = this.pending;
      this.pending = new Set();
      this.onChange(paths);
    }, this.debounceMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const watcher = this.watcher;
    this.watcher = undefined;
    this.ready = false;
    await watcher?.close();
  }
}
