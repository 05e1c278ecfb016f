// The link an operator clicks to open the control UI already logged in: the token rides in the URL
// fragment (`#token=…`), which browsers never send to the server or put in Referer headers.
export function dashboardLink(host: string, port: number, token: string | undefined): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const base = `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}/`;
  return token ? `${base}#token=${encodeURIComponent(token)}` : base;
}
