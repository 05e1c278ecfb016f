// What the session core needs from a socket owner. A driver loops: `await session.waitTurn()`,
// open a socket, report open/text/close, repeat; the core decides timing, pausing and gating.

export interface SocketDriver {
  /** Begins the connect loop (called once). */
  start(): void;
  /** Sends on the current socket; false when no socket is open (nothing was sent). */
  send(text: string): boolean;
  /** Closes the current socket now, reports `onClose(code, reason)` at once, and reconnects. */
  drop(code: number, reason: string): void;
  /** Closes for good. */
  stop(): void;
}

/** The parts of the session a driver calls back into. */
export interface DriverHost {
  waitTurn(): Promise<boolean>;
  onOpen(): void;
  onText(text: string): void;
  onClose(code: number, reason: string): void;
}

/** The browser-standard WebSocket surface both `ws` and native sockets provide. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type WebSocketFactory = (url: string) => WebSocketLike;
