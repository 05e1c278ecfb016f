// Watches skill folders for SKILL.md files coming, going or changing, and calls back once per
// burst (debounced). Folders that do not exist yet are picked up by the next look instead.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

export class SkillsWatcher {
  private watcher: FSWatcher | undefined;
  private readonly watched = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly debounceMs: number,
    private readonly onChange: () => void,
    private readonly onError: (message: string) => void,
  ) {}

  add(dirs: readonly string[]): void {
    const fresh = dirs.filter((d) => !this.watched.has(d) && existsSync(d));
    if (fresh.length === 0) return;
    for (const d of fresh) this.watched.add(d);
    if (!this.watcher) {
      this.watcher = watch(fresh, {
        ignoreInitial: true,
        depth: 2,
        followSymlinks: false,
        ignored: (path, stats) => stats?.isFile() === true && basename(path) !== 'SKILL.md',
      });
      this.watcher.on('all', () => this.schedule());
      this.watcher.on('error', (error) => this.onError(`skills watcher: ${(error as Error).message}`));
    } else {
      this.watcher.add(fresh);
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onChange(), this.debounceMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    const w = this.watcher;
    this.watcher = undefined;
    this.watched.clear();
    await w?.close();
  }
}
