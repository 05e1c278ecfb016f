// The streaming helper for BrowserGatewayClient, kept out of the client so it stays small:
// `for await (const delta of streamBrowserChat(client, params)) …`.
import type { BrowserGatewayClient } from './browser-gateway-client.js';
import { streamChat, type ChatStream, type ChatStreamOptions, type ChatStreamParams } from './runtime/chat-stream.js';

export function streamBrowserChat(client: BrowserGatewayClient, params: ChatStreamParams, options?: ChatStreamOptions): ChatStream {
  return streamChat(
    {
      request: (method, p, o) => client.request(method, p, o),
      onChat: (listener) => client.on('chat', listener),
      onReconnected: (listener) => client.on('ready', (e) => e.reconnected && listener()),
    },
    params,
    options,
  );
}
