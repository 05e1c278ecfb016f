// Two private network namespaces joined by a veth pair, for tests that send multicast (mDNS): the
// test runs `unshare -rn` (a new user + network namespace, no privileges needed on the host), makes
// a second namespace inside it and links them 10.77.0.1 (outer) ↔ 10.77.0.2 (inner). Nothing sent
// there can reach the machine's own interfaces.
import { spawn, spawnSync } from 'node:child_process';

export const OUTER_ADDRESS = '10.77.0.1';
export const INNER_ADDRESS = '10.77.0.2';

/** Whether unshare -rn, nsenter and ip (veth) work here; the reason when not. */
export function netnsSupport(): { ok: true } | { ok: false; reason: string } {
  const probe = spawnSync('unshare', ['-rn', 'sh', '-c', 'command -v nsenter >/dev/null || { echo "nsenter not found"; exit 3; }; ip link add va type veth peer name vb && echo veth-ok'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (probe.error) return { ok: false, reason: `unshare could not run (${probe.error.message}); install util-linux and iproute2` };
  if (probe.status === 0 && probe.stdout.includes('veth-ok')) return { ok: true };
  const said = `${probe.stdout}${probe.stderr}`.trim().split('\n').slice(-2).join(' ');
  return { ok: false, reason: `unprivileged network namespaces are not permitted here (unshare -rn, veth: ${said || `exit ${probe.status}`})` };
}

const PRELUDE = `set -u
ip link set lo up
unshare -n sleep 600 &
PEER=$!
n=0
while [ "$(readlink /proc/$PEER/ns/net)" = "$(readlink /proc/self/ns/net)" ]; do n=$((n+1)); [ $n -gt 400 ] && { echo "inner namespace not created" >&2; exit 90; }; sleep 0.05; done
ip link add va type veth peer name vb netns $PEER
ip addr add ${OUTER_ADDRESS}/24 dev va && ip link set va up
nsenter -t $PEER -n sh -c "ip link set lo up && ip addr add ${INNER_ADDRESS}/24 dev vb && ip link set vb up"
INNER="nsenter -t $PEER -n"
trap 'kill $PEER 2>/dev/null' EXIT
# wait_for <file> <text> <seconds>: polls a log for a line, fails the script when it never comes.
wait_for() { n=0; while ! grep -q "$2" "$1" 2>/dev/null; do n=$((n+1)); [ $n -gt $(($3*10)) ] && { echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; exit 91; }; sleep 0.1; done; }
`;

/** Runs `script` (sh) in the outer namespace; `$INNER <cmd>` runs a command in the inner one. */
export function runInNetnsPair(script: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['-rn', 'sh', '-c', PRELUDE + script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`network namespace script timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
