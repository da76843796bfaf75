/** How the test user agent reaches Kamailio: SIP over WebSocket (as browsers do) or over UDP. */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import WebSocket from 'ws';

/** A connection to the edge that carries whole SIP messages. */
export interface SipTransport {
  /** Via transport token. */
  via: 'WS' | 'WSS' | 'UDP';
  /** Via sent-by and the Contact's host[:port]. */
  host: string;
  /** URI parameter for the Contact (`;transport=ws`), empty for UDP. */
  contactParams: string;
  send(text: string): void;
  onMessage(listener: (text: string) => void): void;
  close(): Promise<void>;
}

/**
 * SIP over WebSocket like SIP.js: subprotocol "sip", a made-up `.invalid`
 * host in Via and Contact, Via WSS over wss:// (trusting `ca`, a test's
 * self-signed certificate, as a browser trusts a real one).
 */
export async function wsTransport(url: string, options: { origin?: string; ca?: string } = {}): Promise<SipTransport> {
  const ws = new WebSocket(url, 'sip', {
    ...(options.origin ? { origin: options.origin } : {}),
    ...(options.ca ? { ca: options.ca } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`WebSocket upgrade refused: ${res.statusCode}`)));
  });
  const listeners: Array<(text: string) => void> = [];
  ws.on('message', (data) => {
    for (const l of listeners) l(data.toString());
  });
  return {
    via: url.startsWith('wss:') ? 'WSS' : 'WS',
    host: `${randomBytes(6).toString('hex')}.invalid`,
    contactParams: ';transport=ws',
    send: (text) => ws.send(text),
    onMessage: (listener) => listeners.push(listener),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000).unref();
      }),
  };
}

/** SIP over UDP from a local port of our own, toward Kamailio's UDP listener. */
export async function udpTransport(port: number, options: { bindPort?: number; host?: string } = {}): Promise<SipTransport> {
  const host = options.host ?? '127.0.0.1';
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.bindPort ?? 0, '127.0.0.1', () => resolve());
  });
  const local = socket.address();
  const listeners: Array<(text: string) => void> = [];
  socket.on('message', (data) => {
    for (const l of listeners) l(data.toString());
  });
  return {
    via: 'UDP',
    host: `${local.address}:${local.port}`,
    contactParams: '',
    send: (text) => socket.send(text, port, host),
    onMessage: (listener) => listeners.push(listener),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
