// One POST over node:http(s) with keep-alive: cheaper per request than fetch (no WHATWG streams),
// which matters on the turn's hot path. The response body is a Node stream of utf8 strings.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface PostResponse {
  readonly status: number;
  header(name: string): string | undefined;
  /** utf8 text chunks. */
  readonly body: IncomingMessage;
}

export class HttpPoster {
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64 });

  post(url: URL, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<PostResponse> {
    const secure = url.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      // Copy, then set: our content-length replaces any the caller gave under that exact name.
      const requestHeaders: Record<string, string | number> = { ...headers };
      requestHeaders['content-length'] = Buffer.byteLength(body);
      const req = send(
        url,
        {
          method: 'POST',
          agent: secure ? this.httpsAgent : this.httpAgent,
          headers: requestHeaders,
          signal,
        },
        (res) => {
          res.setEncoding('utf8');
          resolve({
            status: res.statusCode ?? 0,
            header: (name) => {
              const value = res.headers[name.toLowerCase()];
              return Array.isArray(value) ? value[0] : value;
            },
            body: res,
          });
        },
      );
      req.setNoDelay(true);
      // Kept for the request's life: an error after the response has begun must not go unhandled.
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** The body as text, at most `limit` characters; past that the body is not read on (the stream is destroyed). */
export async function readText(body: IncomingMessage, limit: number): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    text += chunk as string;
    // Leaving the loop destroys the stream: an endless body is not read to its end.
    if (text.length >= limit) break;
  }
  return text.slice(0, limit);
}
