// The Chromium process Playwright launched for a profile, found in /proc (Playwright does not expose
// it for a persistent context), and a kill of its whole process group (Playwright starts it as a
// group leader, so the renderers and the zygote go with it). Linux only; elsewhere nothing is found.
import { readdirSync, readFileSync } from 'node:fs';

interface ProcEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** `Z` for a zombie (exited, not yet reaped). */
  readonly state: string;
}

function readStat(pid: number): ProcEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name sits in parentheses and may contain spaces: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, state: fields[0]!, ppid: Number(fields[1]), pgid: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

function pids(): number[] {
  try {
    return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
}

/** The child of `parentPid` started with `--user-data-dir=<userDataDir>`, or undefined. */
export function findBrowserProcess(userDataDir: string, parentPid = process.pid): number | undefined {
  const flag = `--user-data-dir=${userDataDir}`;
  for (const pid of pids()) {
    const entry = readStat(pid);
    if (entry?.ppid === parentPid && cmdline(pid).includes(flag)) return pid;
  }
  return undefined;
}

/** Live (not zombie) processes in the process group `pgid`: a Chromium and its helpers. */
export function processGroupMembers(pgid: number): number[] {
  return pids().filter((pid) => {
    const entry = readStat(pid);
    return entry !== undefined && entry.pgid === pgid && entry.state !== 'Z';
  });
}

/** SIGKILLs the process group led by `pid` (and `pid` itself, should it have left the group). */
export function killProcessGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
