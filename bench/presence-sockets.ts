/** Node-side live clients for the presence benchmark: many `ws` sockets, each says hello like the app. */
import { WebSocket } from 'ws';
import { LIVE_PING_FRAME, LIVE_PING_INTERVAL_MS, LIVE_PROTOCOL_VERSION, type ServerMessage } from '../shared/live-protocol';

/** One connected socket, handing each message (with its arrival time) to the benchmark. */
export interface BenchSocket {
  ws: WebSocket;
  index: number;
}

export type MessageHandler = (socket: BenchSocket, message: ServerMessage, at: number) => void;

/** Opens one socket with a session cookie and resolves once the hub's welcome arrives. */
function openOne(appUrl: string, cookie: string, index: number, onMessage: MessageHandler): Promise<BenchSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${appUrl.replace(/^http/, 'ws')}/api/live`, { headers: { Cookie: cookie, Origin: appUrl } });
    const socket: BenchSocket = { ws, index };
    let welcomed = false;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`socket ${index}: no welcome within 20 s`));
    }, 20_000);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', protocol: LIVE_PROTOCOL_VERSION, appVersion: 'bench' })));
    ws.on('message', (data) => {
      const at = performance.now();
      // Plain JSON.parse, not the app's zod check: one process plays a thousand
      // phones on the server's own cores, and each phone would parse only its own copy.
      let message: ServerMessage;
      try {
        message = JSON.parse(data.toString()) as ServerMessage;
      } catch {
        return;
      }
      if (message.type === 'welcome' && !welcomed) {
        welcomed = true;
        clearTimeout(timer);
        resolve(socket);
      }
      onMessage(socket, message, at);
    });
    ws.on('error', (error) => {
      clearTimeout(timer);
      if (!welcomed) reject(error);
    });
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`socket ${index}: upgrade refused with ${res.statusCode}`));
    });
  });
}

/** Opens one socket per cookie, `concurrency` handshakes at a time. */
export async function openSockets(appUrl: string, cookies: string[], onMessage: MessageHandler, concurrency = 50): Promise<BenchSocket[]> {
  const sockets: BenchSocket[] = new Array(cookies.length);
  let next = 0;
  const worker = async () => {
    while (next < cookies.length) {
      const index = next++;
      sockets[index] = await openOne(appUrl, cookies[index] as string, index, onMessage);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, cookies.length) }, worker));
  return sockets;
}

/** Keeps the sockets alive as the app does (the hub closes sockets silent for minutes); returns the stopper. */
export function keepAlive(sockets: BenchSocket[]): () => void {
  const timer = setInterval(() => {
    for (const { ws } of sockets) if (ws.readyState === WebSocket.OPEN) ws.send(LIVE_PING_FRAME);
  }, LIVE_PING_INTERVAL_MS);
  return () => clearInterval(timer);
}

/** Closes every socket and waits (briefly) for the closes. */
export async function closeSockets(sockets: BenchSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(
      ({ ws }) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          const timer = setTimeout(() => {
            ws.terminate();
            resolve();
          }, 2000);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          ws.close(1000, 'bench done');
        }),
    ),
  );
}
