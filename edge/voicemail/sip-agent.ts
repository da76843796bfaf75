/**
 * The service's SIP side: a SIP.js UserAgent over WebSocket (`ws` as
 * `globalThis.WebSocket`; Node 20 has none) registered with Kamailio as the
 * reserved user `voicemail`, with an auth_ephemeral credential it mints
 * itself from SIP_AUTH_SECRET exactly as the Worker mints users' (see
 * worker/sip/credentials.ts). It stays registered: a lost connection is
 * reopened with backoff and registered again, and the credential is renewed
 * long before it expires.
 */
import { createHmac } from 'node:crypto';
import { type Invitation, Registerer, RegistererState, UserAgent } from 'sip.js';
import WebSocket from 'ws';
import { backoffMs } from '../shared/pacer';
import { type MediaOptions, weriftSdhFactory } from './webrtc-sdh';

/** How long a minted credential lasts; renewed when half of it is left. */
const CREDENTIAL_TTL_SECONDS = 24 * 60 * 60;
/** Registration lifetime asked of Kamailio (SIP.js refreshes it before it runs out). */
const REGISTER_EXPIRES = 300;

/** auth_ephemeral: username `<expiry>:<user>`, password base64(HMAC-SHA256(secret, username)). */
export function mintCredential(secret: string, user: string, nowMs = Date.now(), ttlSeconds = CREDENTIAL_TTL_SECONDS) {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiry}:${user}`;
  return { username, password: createHmac('sha256', secret).update(username).digest('base64'), expiry };
}

export interface SipAgentOptions {
  wsUrl: string;
  domain: string;
  user: string;
  sipAuthSecret: string;
  media: MediaOptions;
  onInvite: (invitation: Invitation) => void;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export class SipAgent {
  private readonly ua: UserAgent;
  private readonly registerer: Registerer;
  private registerRetry: NodeJS.Timeout | undefined;
  private registerFailures = 0;
  private credentialExpiry = 0;
  private stopping = false;
  private reconnects = 0;
  private renewTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SipAgentOptions) {
    // SIP.js's transport opens `new WebSocket(url, "sip")`; `ws` speaks the same API.
    (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
    const uri = UserAgent.makeURI(`sip:${options.user}@${options.domain}`);
    if (!uri) throw new Error(`bad SIP URI for ${options.user}@${options.domain}`);
    this.ua = new UserAgent({
      uri,
      // Kamailio's websocket keepalive forcibly closes a connection that carries
      // no SIP for a while (seen after ~5 min idle, pongs or not); a CRLF every
      // 25 s keeps it, as the browsers' does.
      transportOptions: { server: options.wsUrl, connectionTimeout: 5, keepAliveInterval: 25 },
      sessionDescriptionHandlerFactory: weriftSdhFactory(options.media),
      logLevel: 'warn',
      logConfiguration: false,
      // The service never needs to wait for ICE servers; SIP.js would otherwise name a public STUN server.
      sessionDescriptionHandlerFactoryOptions: {},
      userAgentString: 'softphone-voicemail',
      delegate: {
        onInvite: (invitation) => options.onInvite(invitation),
        onConnect: () => {
          this.reconnects = 0;
          void this.register();
        },
        onDisconnect: (error) => {
          if (this.stopping) return;
          options.log('SIP connection lost; reconnecting', { error: error?.message });
          this.scheduleReconnect();
        },
      },
    });
    this.renewCredential();
    this.registerer = new Registerer(this.ua, { expires: REGISTER_EXPIRES });
    this.registerer.stateChange.addListener((state) => {
      if (state === RegistererState.Registered) {
        this.registerFailures = 0;
        options.log('registered', { aor: uri.toString() });
      } else {
        // Expired or refused (a REGISTER lost with a dead connection ends in 408): try again while connected.
        if (state === RegistererState.Unregistered) this.retryRegister();
      }
    });
  }

  /**
   * Registers again after a failure, with backoff, while connected. After a
   * lost connection SIP.js refuses a new REGISTER until the one sent on the
   * dead connection times out ("already in progress"): this keeps trying
   * until it can, instead of staying unregistered.
   */
  private retryRegister(): void {
    if (this.stopping || this.registerRetry || !this.ua.isConnected()) return;
    this.registerFailures++;
    this.registerRetry = setTimeout(
      () => {
        this.registerRetry = undefined;
        if (!this.stopping && this.ua.isConnected() && !this.registered) void this.register();
      },
      backoffMs(this.registerFailures, 500, 10_000),
    );
  }

  /** Registered and connected (SIP.js keeps "Registered" while the connection is down). */
  get registered(): boolean {
    return this.registerer.state === RegistererState.Registered && this.ua.isConnected();
  }

  async start(): Promise<void> {
    this.renewTimer = setInterval(() => this.renewCredential(), 60 * 60 * 1000);
    try {
      await this.ua.start();
    } catch (err) {
      this.options.log('SIP connection failed; retrying', { error: String(err) });
      this.scheduleReconnect();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.renewTimer);
    clearTimeout(this.registerRetry);
    if (this.registered) await this.registerer.unregister().catch(() => undefined);
    await this.ua.stop().catch(() => undefined);
  }

  private async register(): Promise<void> {
    this.renewCredential();
    try {
      await this.registerer.register({
        requestDelegate: {
          onReject: (response) =>
            this.options.log('registration refused', { status: response.message.statusCode, reason: response.message.reasonPhrase }),
        },
      });
    } catch (err) {
      this.options.log('registration failed', { error: String(err) });
      this.retryRegister();
    }
  }

  /** SIP.js reads the credential when it answers a challenge: a fresh one is used from the next REGISTER on. */
  private renewCredential(): void {
    const now = Date.now();
    if (this.credentialExpiry * 1000 - now > (CREDENTIAL_TTL_SECONDS * 1000) / 2) return;
    const credential = mintCredential(this.options.sipAuthSecret, this.options.user, now);
    this.ua.configuration.authorizationUsername = credential.username;
    this.ua.configuration.authorizationPassword = credential.password;
    this.credentialExpiry = credential.expiry;
  }

  private scheduleReconnect(): void {
    if (this.stopping) return;
    this.reconnects++;
    setTimeout(
      () => {
        if (this.stopping) return;
        this.ua.reconnect().catch((err: unknown) => {
          this.options.log('SIP reconnect failed', { error: String(err) });
          this.scheduleReconnect();
        });
      },
      backoffMs(this.reconnects, 250, 10_000),
    );
  }
}
