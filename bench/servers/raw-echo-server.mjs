// The baseline for bench/rpc.ts: a bare `ws` server that answers every JSON request with a JSON
// response carrying the same payload the gateway's `health` returns. No handshake, no validation.
import { WebSocketServer } from 'ws';

const payload = JSON.parse(process.env.ECHO_PAYLOAD ?? '{}');
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    const req = JSON.parse(data.toString());
    ws.send(JSON.stringify({ type: 'res', id: req.id, ok: true, payload }));
  });
});
wss.on('listening', () => process.stdout.write(`listening on ws://127.0.0.1:${wss.address().port}/\n`));
process.on('SIGTERM', () => wss.close(() => process.exit(0)));
