/**
 * The SIP WebSocket to the media edge, opened before it is needed.
 *
 * Opening it (TCP, the HTTP upgrade, Kamailio's handshake) took 20–70 ms of a
 * ~300 ms open, after the credentials and SIP.js had both arrived. The edge's
 * URL is not a secret and rarely changes, so the last one the credentials
 * named is remembered and the socket opened while the credentials are still
 * being fetched; the REGISTER still waits for them. A socket to a URL the new
 * credentials do not name, or one that closed meanwhile, is dropped and SIP.js
 * opens its own as before.
 */
const EDGE_URL_KEY = 'softphone.edge-ws-url';

/** A pre-opened socket nobody took (signed out meanwhile, calling not allowed) is closed after this. */
const UNCLAIMED_MS = 15_000;

/** WebSocket readyState values (fixed by the standard). */
const CONNECTING = 0;
const OPEN = 1;

let pending: { url: string; socket: WebSocket; timer: ReturnType<typeof setTimeout> } | undefined;

/** Hands over the pre-opened socket, if any, and forgets it. */
function release(): typeof pending {
  const taken = pending;
  pending = undefined;
  if (taken) clearTimeout(taken.timer);
  return taken;
}

/** Remembers the edge's WebSocket URL for the next open of the app. */
export function rememberEdgeUrl(url: string): void {
  try {
    if (localStorage.getItem(EDGE_URL_KEY) !== url) localStorage.setItem(EDGE_URL_KEY, url);
  } catch {
    // Storage blocked: the next open connects after the credentials, as before.
  }
}

function rememberedEdgeUrl(): string | null {
  try {
    return localStorage.getItem(EDGE_URL_KEY);
  } catch {
    return null;
  }
}

/** Opens the SIP socket to the remembered edge, if there is one (idempotent). */
export function preopenEdgeSocket(): void {
  if (pending || typeof WebSocket === 'undefined') return;
  const url = rememberedEdgeUrl();
  if (!url) return;
  let socket: WebSocket;
  try {
    socket = new WebSocket(url, 'sip');
  } catch {
    return; // not a WebSocket URL (any more): connect the usual way
  }
  socket.binaryType = 'arraybuffer';
  performance.mark('line:ws-preopen');
  socket.addEventListener('open', () => performance.mark('line:ws-preopened'), { once: true });
  const timer = setTimeout(() => {
    if (pending?.socket === socket) dropEdgeSocket();
  }, UNCLAIMED_MS);
  pending = { url, socket, timer };
}

/**
 * The pre-opened socket, once, if it is to `url` and still opening or open;
 * otherwise undefined (and a stale socket is closed).
 */
export function takeEdgeSocket(url: string): WebSocket | undefined {
  const taken = release();
  if (!taken) return undefined;
  const { socket } = taken;
  if (taken.url === url && (socket.readyState === CONNECTING || socket.readyState === OPEN)) return socket;
  socket.close(1000);
  return undefined;
}

/** Closes a pre-opened socket nobody took (sign-out). */
export function dropEdgeSocket(): void {
  release()?.socket.close(1000);
}
