// How request bodies reach the routes over real TCP, packet by packet: a body in the headers'
// packet (the fast path), a body in later packets (the listener path), pipelined requests in one
// packet, a limit crossed by a chunked body with no Content-Length, and a body that stops arriving.
import { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { startHttpGateway } from './http-gateway.js';

let gw: RunningGateway;

beforeAll(async () => {
  gw = await startHttpGateway({ gateway: { http: { toolsInvokeMaxBodyBytes: 1024, requestBodyTimeoutMs: 1000 } } });
  gw.gateway!.services.agents.tools.register({
    name: 'packet_echo',
    description: 'Echoes its text',
    parameters: z.strictObject({ text: z.string() }),
    run: (args) => ({ text: args.text }),
  });
});
afterAll(() => gw?.stop());

interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

/** A loopback TCP client that writes packets as told and parses Content-Length answers in order. */
async function openTcp(): Promise<{ socket: Socket; write(text: string): Promise<void>; answers(count: number): Promise<RawAnswer[]>; closed: Promise<void> }> {
  const { port } = new URL(gw.httpUrl);
  const socket = connect({ host: '127.0.0.1', port: Number(port), noDelay: true });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = Buffer.alloc(0);
  const waiters: (() => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const parse = (): RawAnswer[] => {
    const out: RawAnswer[] = [];
    let rest = received;
    for (;;) {
      const end = rest.indexOf('\r\n\r\n');
      if (end < 0) return out;
      const head = rest.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 'NaN');
      if (rest.length < end + 4 + length) return out;
      out.push({ status: Number(head.split(' ')[1]), body: rest.subarray(end + 4, end + 4 + length).toString('utf8') });
      rest = rest.subarray(end + 4 + length);
    }
  };
  return {
    socket,
    write: (text) => new Promise<void>((resolve, reject) => socket.write(text, (error) => (error ? reject(error) : resolve()))),
    async answers(count) {
      const deadline = Date.now() + 5000;
      while (parse().length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} answers, got: ${received.toString('utf8')}`);
        await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), closed, new Promise((resolve) => setTimeout(resolve, 50))]);
      }
      return parse();
    },
    closed,
  };
}

function head(body: string, extra = ''): string {
  return (
    `POST /tools/invoke HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${gw.token}\r\n` +
    `Content-Type: application/json\r\n${extra || `Content-Length: ${Buffer.byteLength(body)}\r\n`}\r\n`
  );
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` while counting the 'data' listeners put on request streams (the gateway runs in this process). */
async function countingDataListeners(fn: () => Promise<void>): Promise<number> {
  let count = 0;
  const original = IncomingMessage.prototype.on;
  IncomingMessage.prototype.on = function (this: IncomingMessage, event: string | symbol, listener: (...args: unknown[]) => void) {
    if (event === 'data') count++;
    return original.call(this, event, listener);
  } as typeof original;
  try {
    await fn();
  } finally {
    IncomingMessage.prototype.on = original;
  }
  return count;
}

describe('request bodies over TCP', () => {
  it('a body in the same packet as the headers is read from the buffer, with no stream listeners', async () => {
    const tcp = await openTcp();
    const body = JSON.stringify({ tool: 'packet_echo', args: { text: 'one packet' } });
    const listeners = await countingDataListeners(async () => {
      await tcp.write(head(body) + body);
      expect(await tcp.answers(1)).toEqual([{ status: 200, body: JSON.stringify({ ok: true, result: { text: 'one packet' } }) }]);
    });
    expect(listeners).toBe(0);
    tcp.socket.destroy();
  });

  it('a body sent after the headers, in pieces, with pauses between them', async () => {
    const tcp = await openTcp();
    const body = JSON.stringify({ tool: 'packet_echo', args: { text: 'späte Teile' } });
    const bytes = Buffer.from(body);
    const listeners = await countingDataListeners(async () => {
      await tcp.write(head(body));
      await pause(30);
      // Split inside a multi-byte character, too: the pieces are joined as bytes before decoding.
      const split = bytes.indexOf(Buffer.from('ä')) + 1;
      tcp.socket.write(bytes.subarray(0, split));
      await pause(30);
      tcp.socket.write(bytes.subarray(split));
      expect(await tcp.answers(1)).toEqual([{ status: 200, body: JSON.stringify({ ok: true, result: { text: 'späte Teile' } }) }]);
    });
    expect(listeners).toBeGreaterThan(0);
    tcp.socket.destroy();
  });

  it('pipelined requests in one packet are each answered, in order, on the same connection', async () => {
    const tcp = await openTcp();
    const texts = ['first', 'second', 'third'];
    await tcp.write(texts.map((text) => JSON.stringify({ tool: 'packet_echo', args: { text } })).map((body) => head(body) + body).join(''));
    const answers = await tcp.answers(3);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => (JSON.parse(a.body) as { result: { text: string } }).result.text)).toEqual(texts);
    tcp.socket.destroy();
  });

  it('a chunked body crossing the limit in a later packet: 413 and the connection is closed', async () => {
    const tcp = await openTcp();
    await tcp.write(head('', 'Transfer-Encoding: chunked\r\n'));
    const piece = 'x'.repeat(600);
    await tcp.write(`${piece.length.toString(16)}\r\n${piece}\r\n`);
    await pause(30);
    await tcp.write(`${piece.length.toString(16)}\r\n${piece}\r\n`).catch(() => {});
    const [answer] = await tcp.answers(1);
    expect(answer!.status).toBe(413);
    expect(JSON.parse(answer!.body)).toEqual({ ok: false, error: { type: 'payload_too_large', message: 'Payload too large (limit 1024 bytes)' } });
    await tcp.closed;
  });

  it('a chunked body within the limit, in pieces: runs the tool', async () => {
    const tcp = await openTcp();
    const body = JSON.stringify({ tool: 'packet_echo', args: { text: 'chunked' } });
    await tcp.write(head('', 'Transfer-Encoding: chunked\r\n'));
    for (const part of [body.slice(0, 10), body.slice(10)]) {
      await pause(20);
      await tcp.write(`${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`);
    }
    await tcp.write('0\r\n\r\n');
    expect(await tcp.answers(1)).toEqual([{ status: 200, body: JSON.stringify({ ok: true, result: { text: 'chunked' } }) }]);
    tcp.socket.destroy();
  });

  it('a body that stops arriving: 408 after requestBodyTimeoutMs, in the endpoint shape, and the connection is closed', async () => {
    const tcp = await openTcp();
    const body = JSON.stringify({ tool: 'packet_echo', args: { text: 'never finished' } });
    await tcp.write(head(body) + body.slice(0, 10));
    const [answer] = await tcp.answers(1);
    expect(answer!.status).toBe(408);
    expect(JSON.parse(answer!.body)).toEqual({
      ok: false,
      error: { type: 'request_timeout', message: 'Request body timeout: the body did not arrive within 1000 ms (gateway.http.requestBodyTimeoutMs).' },
    });
    await tcp.closed;
  });
});
