// Which element renders which route. Each view gets the client and the route's params; a new
// client (another login) makes new view elements, so nothing listens on a closed one.
import { html } from 'lit';
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

export function renderView(route: Route, client: OpenClawClient) {
  const p = route.params;
  const view = (() => {
    switch (route.view) {
      case 'chat':
        return html`<oc-chat-view .client=${client} .params=${p}></oc-chat-view>`;
      case 'sessions':
        return html`<oc-sessions-view .client=${client} .params=${p}></oc-sessions-view>`;
      case 'agents':
        return html`<oc-agents-view .client=${client} .params=${p}></oc-agents-view>`;
      case 'approvals':
        return html`<oc-approvals-view .client=${client} .params=${p}></oc-approvals-view>`;
      case 'config':
        return html`<oc-config-view .client=${client} .params=${p}></oc-config-view>`;
      case 'cron':
        return html`<oc-cron-view .client=${client} .params=${p}></oc-cron-view>`;
      case 'channels':
        return html`<oc-channels-view .client=${client} .params=${p}></oc-channels-view>`;
      case 'skills':
        return html`<oc-skills-view .client=${client} .params=${p}></oc-skills-view>`;
      case 'nodes':
        return html`<oc-nodes-view .client=${client} .params=${p}></oc-nodes-view>`;
      case 'usage':
        return html`<oc-usage-view .client=${client} .params=${p}></oc-usage-view>`;
      case 'logs':
        return html`<oc-logs-view .client=${client} .params=${p}></oc-logs-view>`;
    }
  })();
  return keyed(client, view);
}
