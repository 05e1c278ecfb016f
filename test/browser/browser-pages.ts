// Pages for the browser tests, served on 127.0.0.1: a form, a dialog, an upload, a cookie, a
// redirect to a host the tests do not allow, a page that never answers, and a big page.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface PageServer {
  readonly base: string;
  readonly port: number;
  /** Cookie headers the server saw, by path. */
  readonly cookies: Map<string, string | undefined>;
  /** Every path requested, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

const html = (res: ServerResponse, body: string, headers: Record<string, string> = {}): void => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
  res.end(`<!doctype html><html><head><meta charset="utf-8">${body}</html>`);
};

export function bigPage(elements: number): string {
  let rows = '';
  for (let i = 0; i < elements / 4; i++) rows += `<li><a href="/p${i}">Link ${i}</a> <button>Button ${i}</button> <input aria-label="Field ${i}"> <span>Text ${i}</span></li>`;
  return `<title>Big</title></head><body><ul>${rows}</ul></body>`;
}

const PAGES: Record<string, (req: IncomingMessage, res: ServerResponse, server: { port: number; cookies: Map<string, string | undefined> }) => void> = {
  '/form': (_req, res) =>
    html(
      res,
      `<title>Form</title></head><body><h1>Sign up</h1>
      <label>Name <input name="name"></label>
      <label>Email <input name="email" type="email"></label>
      <label><input type="checkbox" name="news"> Newsletter</label>
      <button type="button" onclick="document.getElementById('out').textContent = 'Hello ' + document.querySelector('[name=name]').value + ' <' + document.querySelector('[name=email]').value + '> news=' + document.querySelector('[name=news]').checked">Send</button>
      <p id="out">nothing yet</p></body>`,
    ),
  '/dialog': (_req, res) =>
    html(
      res,
      `<title>Dialog</title></head><body>
      <button onclick="document.getElementById('answer').textContent = 'answer: ' + prompt('Your name?', 'nobody')">Ask</button>
      <button onclick="document.getElementById('answer').textContent = 'confirmed: ' + confirm('Sure?')">Confirm</button>
      <p id="answer">no answer</p></body>`,
    ),
  '/upload': (_req, res) =>
    html(
      res,
      `<title>Upload</title></head><body>
      <input type="file" id="file" aria-label="Document" onchange="const f = this.files[0]; f.text().then((t) => document.getElementById('got').textContent = f.name + ': ' + t)">
      <p id="got">no file</p></body>`,
    ),
  '/cookie/set': (_req, res) => html(res, '<title>Set</title></head><body>cookie set</body>', { 'set-cookie': 'session=kept-across-restarts; Path=/; Max-Age=3600' }),
  '/cookie/check': (req, res, server) => {
    server.cookies.set('/cookie/check', req.headers.cookie);
    html(res, `<title>Check</title></head><body>cookie: ${req.headers.cookie ?? 'none'}</body>`);
  },
  '/to-private': (_req, res, server) => {
    // localhost is loopback but the tests allow only 127.0.0.1 by address.
    res.writeHead(302, { location: `http://localhost:${server.port}/secret` });
    res.end();
  },
  '/secret': (_req, res) => html(res, '<title>Secret</title></head><body>the secret page</body>'),
  '/never': () => {
    // Never answers: the navigation must time out.
  },
  '/console': (_req, res) => html(res, `<title>Console</title><script>console.log('hello log'); console.error('bad thing');</script></head><body>c</body>`),
  '/big': (_req, res) => html(res, bigPage(1000)),
  // A WebSocket to this server by address (allowed) and by the name localhost (refused).
  '/ws': (_req, res, server) =>
    html(
      res,
      `<title>WS</title></head><body><p id="ok">waiting</p><p id="refused">waiting</p><script>
      const open = (url, id) => { const ws = new WebSocket(url); ws.onopen = () => ws.send('ping'); ws.onmessage = (e) => document.getElementById(id).textContent = id + ' got ' + e.data; ws.onerror = () => document.getElementById(id).textContent = id + ' failed'; };
      open('ws://127.0.0.1:${server.port}/sock', 'ok'); open('ws://localhost:${server.port}/sock', 'refused');
      </script></body>`,
    ),
  '/files': (_req, res) => html(res, '<title>Files</title></head><body><a href="/file/small" download>small</a> <a href="/file/large" download>large</a> <a href="/form" target="_blank">popup</a></body>'),
  '/file/small': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="small.bin"' });
    res.end(Buffer.alloc(10_000, 1));
  },
  '/file/large': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="large.bin"' });
    res.end(Buffer.alloc(3_000_000, 2));
  },
};

export async function startPageServer(): Promise<PageServer> {
  const cookies = new Map<string, string | undefined>();
  const state = { port: 0, cookies };
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '/');
    const handler = PAGES[(req.url ?? '/').split('?')[0]!];
    if (handler) handler(req, res, state);
    else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  const sockets = new WebSocketServer({ server, path: '/sock' });
  sockets.on('connection', (socket) => socket.on('message', (data) => socket.send(`pong:${String(data)}`)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${state.port}`,
    port: state.port,
    cookies,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
