// One gateway per state dir: `gateway.lock` holds the owner's pid, port and start time. A second
// gateway refuses to start and names the running one; a lock whose process is gone (a crash, a
// kill -9) is stale and taken over. Created with O_EXCL so two starts cannot both win.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface LockOwner {
  readonly pid: number;
  readonly startedAt: number;
  readonly port?: number;
  readonly host?: string;
}

export class InstanceLockedError extends Error {
  constructor(
    readonly owner: LockOwner,
    readonly lockPath: string,
  ) {
    const where = owner.port ? ` on ${owner.host ?? '127.0.0.1'}:${owner.port}` : '';
    super(`another gateway (pid ${owner.pid}${where}, started ${new Date(owner.startedAt).toISOString()}) is using this state dir; stop it first, or use --state-dir for a second gateway (lock: ${lockPath})`);
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

function readOwner(path: string): LockOwner | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof value.pid === 'number' && typeof value.startedAt === 'number' ? (value as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

/** The gateway that holds this state dir's lock, when its process is still alive. */
export function runningInstance(stateDir: string): LockOwner | undefined {
  const owner = readOwner(join(stateDir, 'gateway.lock'));
  return owner && alive(owner.pid) ? owner : undefined;
}

export interface InstanceLock {
  readonly path: string;
  /** Records where the gateway listens, for the next one's refusal message. */
  update(info: { port: number; host: string }): void;
  release(): void;
}

export function acquireInstanceLock(stateDir: string): InstanceLock {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const path = join(stateDir, 'gateway.lock');
  const mine: { pid: number; startedAt: number; port?: number; host?: string } = { pid: process.pid, startedAt: Date.now() };
  const write = (fd: number): void => {
    writeSync(fd, `${JSON.stringify(mine)}\n`);
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      write(fd);
      closeSync(fd);
      let held = true;
      return {
        path,
        update(info) {
          if (!held) return;
          mine.port = info.port;
          mine.host = info.host;
          const fd = openSync(path, 'w', 0o600);
          try {
            write(fd);
          } finally {
            closeSync(fd);
          }
        },
        release() {
          if (!held) return;
          held = false;
          if (readOwner(path)?.pid === process.pid) {
            try {
              unlinkSync(path);
            } catch {
              // already gone
            }
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (owner && owner.pid !== process.pid && alive(owner.pid)) throw new InstanceLockedError(owner, path);
      // Stale (its process is gone) or unreadable (torn by a crash): take it over.
      try {
        unlinkSync(path);
      } catch {
        // another starter removed it first; the next attempt decides
      }
    }
  }
  const owner = readOwner(path);
  throw owner ? new InstanceLockedError(owner, path) : new Error(`cannot take the gateway lock ${path}`);
}
