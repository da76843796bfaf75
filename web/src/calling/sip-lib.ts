/**
 * The part of SIP.js the phone uses, and the only module that imports it at
 * runtime. `import('sip.js')` would keep the whole package (SimpleUser,
 * SessionManager, the Web Audio handler…) because a dynamic import's
 * namespace cannot be tree-shaken; importing through this module lets the
 * bundler drop what we never call, so the chunk fetched after first paint is
 * smaller and compiles faster.
 */
import { type SessionDescriptionHandlerFactory, TransportState, Web } from 'sip.js';
import { takeEdgeSocket } from './edge-socket';

export { Inviter, Registerer, SessionState, UserAgent } from 'sip.js';

/** How long to keep gathering once what the configuration can produce has arrived (more host addresses, IPv6). */
export const ICE_SETTLE_MS = 10;

/**
 * Whether the candidates gathered so far are all the media edge can use.
 * rtpengine speaks ICE over UDP only, so Chromium's TCP host candidates (which
 * it gathers ~100–120 ms after the UDP ones, in a later allocation phase, and
 * which gate "gathering complete") are never used: we stop at a host UDP
 * candidate, plus a server-reflexive one when a STUN server is configured and
 * a relay one when a TURN server is (each may still end by the timeout).
 */
export function iceGatheringEnough(candidates: RTCIceCandidate[], iceServers: RTCIceServer[] | undefined): boolean {
  const urls = (iceServers ?? []).flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]));
  const wantsRelay = urls.some((u) => /^turns?:/i.test(u));
  const wantsReflexive = !wantsRelay && urls.some((u) => /^stun:/i.test(u));
  const has = (type: RTCIceCandidateType, protocol?: RTCIceProtocol) =>
    candidates.some((c) => c.type === type && (!protocol || c.protocol === protocol));
  if (!has('host', 'udp') && !has('relay')) return false;
  if (wantsRelay) return has('relay');
  if (wantsReflexive) return has('srflx') || has('relay');
  return true;
}

/**
 * SIP.js's own session description handler, told to stop waiting for ICE
 * gathering as soon as `iceGatheringEnough` (SIP.js's documented hook for a
 * custom completion strategy: `iceGatheringComplete()`). Applies to every
 * offer and answer: new calls, answers, hold, and ICE restarts (each round of
 * gathering starts over).
 */
export function sessionDescriptionHandlerFactory(iceServers: RTCIceServer[] | undefined): SessionDescriptionHandlerFactory {
  const base = Web.defaultSessionDescriptionHandlerFactory();
  return (session, options) => {
    const handler = base(session, options) as Web.SessionDescriptionHandler;
    let round: RTCIceCandidate[] = [];
    let settle: ReturnType<typeof setTimeout> | undefined;
    const reset = () => {
      clearTimeout(settle);
      settle = undefined;
      round = [];
    };
    handler.peerConnectionDelegate = {
      onicegatheringstatechange: () => {
        const state = handler.peerConnection?.iceGatheringState;
        if (state === 'gathering' || state === 'complete') reset();
      },
      onicecandidate: (event) => {
        if (!event.candidate) return reset();
        round.push(event.candidate);
        if (settle === undefined && iceGatheringEnough(round, iceServers)) {
          settle = setTimeout(() => handler.iceGatheringComplete(), ICE_SETTLE_MS);
        }
      },
    };
    return handler;
  };
}

/** The parts of SIP.js 0.21's web transport that adopting a socket touches (its `_connect` does the same with a new one). */
interface TransportInternals {
  _ws: WebSocket | undefined;
  configuration: { connectionTimeout: number };
  connectPromise: Promise<void> | undefined;
  connectResolve: (() => void) | undefined;
  connectReject: ((error: Error) => void) | undefined;
  connectTimeout: ReturnType<typeof setTimeout> | undefined;
  transitionState(state: TransportState, error?: Error): void;
  onWebSocketClose(ev: CloseEvent, ws: WebSocket): void;
  onWebSocketError(ev: Event, ws: WebSocket): void;
  onWebSocketOpen(ev: Event, ws: WebSocket): void;
  onWebSocketMessage(ev: MessageEvent, ws: WebSocket): void;
}

/**
 * SIP.js's web transport, except that its first connection adopts the socket
 * `edge-socket.ts` opened while the credentials were being fetched (when it
 * is to the same URL and not closed). Everything after (keep-alives, loss,
 * reconnects with a new socket) is SIP.js's own.
 */
export class EdgeTransport extends Web.Transport {
  override connect(): Promise<void> {
    if (this.state !== TransportState.Disconnected) return super.connect();
    const ws = takeEdgeSocket(this.server);
    if (!ws) return super.connect();
    const self = this as unknown as TransportInternals;
    if (typeof self.transitionState !== 'function' || typeof self.onWebSocketOpen !== 'function') {
      // A SIP.js whose internals moved: use its own connect, loudly in development.
      console.warn('EdgeTransport: SIP.js transport internals changed; not adopting the pre-opened socket');
      ws.close(1000);
      return super.connect();
    }
    self.transitionState(TransportState.Connecting);
    ws.addEventListener('close', (ev) => self.onWebSocketClose(ev, ws));
    ws.addEventListener('error', (ev) => self.onWebSocketError(ev, ws));
    ws.addEventListener('open', (ev) => self.onWebSocketOpen(ev, ws));
    ws.addEventListener('message', (ev) => self.onWebSocketMessage(ev, ws));
    self._ws = ws;
    const connected = new Promise<void>((resolve, reject) => {
      self.connectResolve = resolve;
      self.connectReject = reject;
      self.connectTimeout = setTimeout(() => ws.close(1000), self.configuration.connectionTimeout * 1000);
    });
    self.connectPromise = connected;
    if (ws.readyState === 1 /* OPEN */) self.onWebSocketOpen(new Event('open'), ws);
    return connected;
  }
}
