// POST /sessions/{key}/kill: aborts every run of the session. Upstream lets a caller on the
// gateway's own machine kill any session (its local admin kill); remote callers would need
// sub-agent ownership, which this gateway does not track, so they are refused with upstream's 403.
// A loopback peer that forwards for someone (a reverse proxy on this host) is not local, and the
// refusal comes before the lookup, so it does not tell which sessions exist.
import { httpStatusOf } from '../../contract/schemas/errors.js';
import type { Context } from 'hono';
import type { AgentRuntime } from '../chat/agent-runtime.js';
import { isLoopbackAddress } from '../transport/ws-frame-socket.js';
import { jsonResponse, toolErrorBody } from './http-errors.js';
import { headerOf, remoteAddressOf } from './node-request.js';
import { sessionOfRoute } from './session-route-key.js';

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

export function createSessionKillHandler(agents: AgentRuntime): (c: Context, params: { readonly key: string }) => Response {
  return (c, params) => {
    const forwarded = FORWARDING_HEADERS.some((name) => headerOf(c, name) !== undefined);
    if (forwarded || !isLoopbackAddress(remoteAddressOf(c))) {
      return jsonResponse(httpStatusOf('FORBIDDEN'), toolErrorBody('forbidden', 'Session kills require a local admin request or requester session ownership.'));
    }
    const session = sessionOfRoute(agents, params.key);
    if (!session.ok) return session.response;
    return jsonResponse(200, { ok: true, killed: agents.abortRunsAndAnnounce(session.sessionKey).length > 0 });
  };
}
