/**
 * baresip's ctrl_tcp: JSON commands and events in netstrings
 * (`<length>:<json>,`). Used to dial, hang up and watch calls of the
 * simulated phone network and of baresip test phones.
 */
import { connect, type Socket } from 'node:net';

/** An event baresip reports (CALL_INCOMING, CALL_ESTABLISHED, CALL_CLOSED, REGISTER_OK, …). */
export interface BaresipEvent {
  type: string;
  class?: string;
  accountaor?: string;
  direction?: string;
  peeruri?: string;
  peerdisplayname?: string;
  id?: string;
  param?: string;
}

/** A connection to one baresip's ctrl_tcp port. */
export interface BaresipControl {
  /** Runs a command (`dial`, `hangup`, `accept`, `uanew`, …) and returns its text output. */
  command(name: string, params?: string): Promise<string>;
  /** Every event seen so far. */
  readonly events: BaresipEvent[];
  /** The next event of a type (or one already seen after `since`), within `timeoutMs`. */
  waitFor(type: string, options?: { since?: number; timeoutMs?: number; match?: (e: BaresipEvent) => boolean }): Promise<BaresipEvent>;
  close(): void;
}

/** Connects to ctrl_tcp on 127.0.0.1:`port`. */
export function controlBaresip(port: number): Promise<BaresipControl> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ port, host: '127.0.0.1' });
    const events: BaresipEvent[] = [];
    const pending = new Map<string, (data: string) => void>();
    const eventWaiters: Array<() => void> = [];
    let buffer = Buffer.alloc(0);
    let counter = 0;

    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const colon = buffer.indexOf(0x3a);
        if (colon < 0) return;
        const length = Number(buffer.subarray(0, colon).toString());
        if (buffer.length < colon + 1 + length + 1) return;
        const text = buffer.subarray(colon + 1, colon + 1 + length).toString();
        buffer = buffer.subarray(colon + 1 + length + 1);
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(text);
        } catch {
          continue;
        }
        if (msg.response && typeof msg.token === 'string') {
          pending.get(msg.token)?.(String(msg.data ?? ''));
          pending.delete(msg.token);
        } else if (msg.event) {
          events.push(msg as unknown as BaresipEvent);
          for (const w of eventWaiters.splice(0)) w();
        }
      }
    });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      socket.on('error', () => {});
      resolve({
        events,
        command(name, params) {
          const token = `t${++counter}`;
          const json = JSON.stringify({ command: name, ...(params !== undefined ? { params } : {}), token });
          return new Promise((done, fail) => {
            const timer = setTimeout(() => fail(new Error(`baresip: no answer to ${name}`)), 5000);
            pending.set(token, (data) => {
              clearTimeout(timer);
              done(data);
            });
            socket.write(`${Buffer.byteLength(json)}:${json},`);
          });
        },
        waitFor(type, options = {}) {
          const since = options.since ?? 0;
          const found = () => events.slice(since).find((e) => e.type === type && (options.match?.(e) ?? true));
          return new Promise((done, fail) => {
            const timer = setTimeout(
              () =>
                fail(
                  new Error(
                    `baresip: no ${type} event within ${options.timeoutMs ?? 5000} ms (saw ${events.map((e) => e.type).join(', ')})`,
                  ),
                ),
              options.timeoutMs ?? 5000,
            );
            const check = () => {
              const event = found();
              if (event) {
                clearTimeout(timer);
                done(event);
              } else {
                eventWaiters.push(check);
              }
            };
            check();
          });
        },
        close: () => socket.destroy(),
      });
    });
  });
}
