// The built-in Control UI: one self-contained page that connects over the WebSocket with the token
// the operator pastes (kept in sessionStorage, never in the URL) and shows health and sessions.
const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

const SCRIPT = `
const $ = (id) => document.getElementById(id);
const log = (text) => { const li = document.createElement('li'); li.textContent = text; $('events').prepend(li); while ($('events').children.length > 50) $('events').lastChild.remove(); };
let ws; let n = 0; const pending = new Map();
function call(method, params) { const id = 'ui' + (++n); ws.send(JSON.stringify({ type: 'req', id, method, params })); return new Promise((resolve) => pending.set(id, resolve)); }
function connect() {
  const token = $('token').value.trim(); sessionStorage.setItem('openclaw.token', token);
  if (ws) ws.close();
  ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
  ws.onmessage = async (m) => {
    const f = JSON.parse(m.data);
    if (f.type === 'event' && f.event === 'connect.challenge') {
      ws.send(JSON.stringify({ type: 'req', id: 'connect', method: 'connect', params: { minProtocol: 3, maxProtocol: 4, client: { id: 'openclaw-control-ui', version: '1', platform: 'web', mode: 'ui' }, role: 'operator', scopes: ['operator.admin'], auth: { token } } }));
      return;
    }
    if (f.type === 'res' && f.id === 'connect') {
      if (!f.ok) { $('status').textContent = 'refused: ' + f.error.message; return; }
      $('status').textContent = 'connected (protocol ' + f.payload.protocol + ', ' + f.payload.features.methods.length + ' methods)';
      render(f.payload.snapshot.health);
      return;
    }
    if (f.type === 'res' && pending.has(f.id)) { pending.get(f.id)(f); pending.delete(f.id); return; }
    if (f.type === 'event') { if (f.event === 'health') render(f.payload); if (f.event !== 'tick') log(f.event + ' #' + f.seq); }
  };
  ws.onclose = (e) => { $('status').textContent = 'disconnected (' + e.code + (e.reason ? ': ' + e.reason : '') + ')'; };
}
function render(h) {
  $('health').textContent = JSON.stringify({ ok: h.ok, defaultAgentId: h.defaultAgentId, agents: h.agents.map((a) => a.agentId), sessions: h.sessions.count, gateway: h.gateway }, null, 2);
}
$('connect').onclick = connect;
$('refresh').onclick = async () => { const r = await call('health', { probe: true }); if (r.ok) render(r.payload); };
$('token').value = sessionStorage.getItem('openclaw.token') || '';
if ($('token').value) connect();
`;

export function renderDashboard(info: { version: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>OpenClaw Gateway</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:60rem;color:#222}input{width:28rem;padding:.3rem}
button{padding:.3rem .8rem;margin-left:.3rem}pre{background:#f4f4f4;padding:1rem;overflow:auto}code{background:#f4f4f4;padding:0 .2rem}
#events{font-family:monospace;font-size:12px;max-height:20rem;overflow:auto}</style></head>
<body><h1>OpenClaw Gateway <small>${escapeHtml(info.version)}</small></h1>
<p>WebSocket RPC at <code>/ws</code>, OpenAI-compatible API at <code>/v1</code>, tools at <code>/tools/invoke</code>,
API description at <a href="/openapi.json">/openapi.json</a>.</p>
<p><label>Gateway token <input id="token" type="password" autocomplete="off"></label><button id="connect">Connect</button>
<button id="refresh">Refresh health</button></p>
<p id="status">not connected</p>
<h2>Health</h2><pre id="health">—</pre>
<h2>Events</h2><ul id="events"></ul>
<script>${SCRIPT}</script></body></html>`;
}
