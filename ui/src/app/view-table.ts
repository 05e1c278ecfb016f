// Which element renders which route. Each view gets the client and the route's params; a new
// client (another login) makes new view elements, so nothing listens on a closed one.
import { html, literal, type StaticValue } from 'lit/static-html.js';
import { keyed } from 'lit/directives/keyed.js';
import type { OpenClawClient } from '../../../clients/openclaw-client.js';
import type { Route } from './router.js';
import '../chat/chat-view.js';
import '../views/sessions-view.js';
import '../views/agents-view.js';
import '../views/approvals-view.js';
import '../config/config-view.js';
import '../views/cron-view.js';
import '../views/channels-view.js';
import '../views/skills-view.js';
import '../views/nodes-view.js';
import '../views/usage-view.js';
import '../views/logs-view.js';

/** The element of each view (Lit needs tag names as static literals, not strings). */
const VIEW_TAGS: Record<Route['view'], StaticValue> = {
  chat: literal`oc-chat-view`,
  sessions: literal`oc-sessions-view`,
  agents: literal`oc-agents-view`,
  approvals: literal`oc-approvals-view`,
  config: literal`oc-config-view`,
  cron: literal`oc-cron-view`,
  channels: literal`oc-channels-view`,
  skills: literal`oc-skills-view`,
  nodes: literal`oc-nodes-view`,
  usage: literal`oc-usage-view`,
  logs: literal`oc-logs-view`,
};

export function renderView(route: Route, client: OpenClawClient) {
  const tag = VIEW_TAGS[route.view];
  return keyed(client, html`<${tag} .client=${client} .params=${route.params}></${tag}>`);
}
