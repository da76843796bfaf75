import type { ServerMessage } from '../../../shared/live-protocol';

/**
 * A WebSocket the test drives: it never touches the network; the test opens
 * it, delivers server messages and closes it, and reads what was sent.
 */
export class FakeSocket extends EventTarget {
  static all: FakeSocket[] = [];
  /** The newest socket made. */
  static get last(): FakeSocket {
    const socket = FakeSocket.all.at(-1);
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }
  static reset(): void {
    FakeSocket.all = [];
  }

  readyState = 0;
  readonly sent: string[] = [];
  /** Set when the app closed it (the app then ignores it). */
  closedByClient: number | undefined;

  constructor(readonly url: string) {
    super();
    FakeSocket.all.push(this);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }

  close(code = 1000): void {
    this.closedByClient = code;
    this.readyState = 3;
  }

  /** The messages the app sent, parsed (the bare ping included). */
  get messages(): Array<{ type: string; [key: string]: unknown }> {
    return this.sent.map((s) => JSON.parse(s));
  }

  // ─── The server's side ───────────────────────────────────────────────────
  open(): void {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }

  deliver(message: ServerMessage): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(message) }));
  }

  /** Opens and answers the hello with a welcome. */
  welcome(presence: Extract<ServerMessage, { type: 'welcome' }>['presence'] = [], lastSeq = 0, userId = 'u1'): void {
    if (this.readyState !== 1) this.open();
    this.deliver({ type: 'welcome', protocol: 2, serverTime: Date.now(), you: { userId, deviceId: 'ses_1' }, presence, lastSeq });
  }

  serverClose(code = 1006): void {
    this.readyState = 3;
    this.dispatchEvent(new CloseEvent('close', { code }));
  }
}
