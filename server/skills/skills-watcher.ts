// Watches skill folders for SKILL.md files coming, going or changing, and calls back once per
// burst (debounced). It watches each folder's parent (so a skills/ folder created later is seen),
// ignoring everything there but the skill folders themselves.
import { existsSync } from 'node:fs';
import { basename, dirname, sep } from 'node:path';
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

  private relevant(path: string): boolean {
    for (const dir of this.watched) {
      if (path === dir || path === dirname(dir) || path.startsWith(dir + sep)) return true;
    }
    return false;
  }

  add(dirs: readonly string[]): void {
    const fresh = dirs.filter((d) => !this.watched.has(d) && existsSync(dirname(d)));
    if (fresh.length === 0) return;
    for (const d of fresh) this.watched.add(d);
    const parents = [...new Set(fresh.map((d) => dirname(d)))];
    if (!this.watcher) {
      this.watcher = watch(parents, {
        ignoreInitial: true,
        depth: 3,
        followSymlinks: false,
        ignored: (path, stats) => !this.relevant(path) || (stats?.isFile() === true && basename(path) !== 'SKILL.md'),
      });
      this.watcher.on('all', () => this.schedule());
      this.watcher.on('error', (error) => this.onError(`skills watcher: ${(error as Error).message}`));
    } else {
      this.watcher.add(parents);
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
