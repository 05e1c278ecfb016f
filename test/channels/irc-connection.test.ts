// IrcConnection against servers a real IRC server will not play: one that welcomes and then goes
// silent (PING timeout), and the flood-control queue's burst.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { IrcConnection } from '../../server/channels/irc/irc-connection.js';
import { IrcSendQueue } from '../../server/channels/irc/irc-send-queue.js';

let server: Server | undefined;
afterEach(() => server?.close());

/** A TCP server that answers registration with 001 and then ignores everything. */
async function silentServer(received: string[]): Promise<number> {
  server = createServer((socket: Socket) => {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received.push(...chunk.split('\r\n').filter(Boolean));
      if (chunk.includes('USER ')) socket.write(':srv 001 quietbot :Welcome quietbot!~q@127.0.0.1\r\n');
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

describe('IrcConnection', () => {
  it('PINGs a silent server and closes with a retryable ping timeout when no PONG comes', async () => {
    const received: string[] = [];
    const port = await silentServer(received);
    const irc = await IrcConnection.open(
      { host: '127.0.0.1', port, tls: false, nick: 'quietbot', username: 'q', realname: 'Q', channels: ['#a'], pingIntervalMs: 100, pingTimeoutMs: 200 },
      { onPrivmsg: () => {} },
    );
    expect(irc.selfMask).toBe('quietbot!~q@127.0.0.1');
    const end = await irc.closed;
    expect(end).toMatchObject({ fatal: false });
    expect(end.error).toMatch(/ping timeout/);
    expect(received.some((l) => l.startsWith('PING :keepalive-'))).toBe(true);
    expect(received).toContain('JOIN #a');
  });

  it('flood control: a burst goes out at once, the rest waits for the interval, in order', async () => {
    const written: string[] = [];
    const queue = new IrcSendQueue((line, done) => (written.push(line), done()), { burst: 2, intervalMs: 20, maxQueued: 1 });
    const sends = ['a', 'b', 'c'].map((l) => queue.enqueue(l));
    expect(written).toEqual(['a', 'b']);
    await expect(queue.enqueue('d')).rejects.toThrow(/queue full/);
    await Promise.all(sends);
    expect(written).toEqual(['a', 'b', 'c']);
    queue.close(new Error('closed'));
    await expect(queue.enqueue('f')).rejects.toThrow('closed');
  });
});
