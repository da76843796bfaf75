import { signal } from '@preact/signals';
import type { Invitation, Registerer, UserAgent } from 'sip.js';
import { SIP_DEVICE_PARAM } from '../../../shared/sip-device';
import { ApiError } from '../api/client';
import { afterNextPaint } from '../app/after-paint';
import { reconnectDelay } from '../live/backoff';
import { dropEdgeSocket, preopenEdgeSocket, rememberEdgeUrl } from './edge-socket';
import { type RegistrationEvent, type RegistrationState, registrationMachine } from './registration-machine';
import { fetchSipCredentials, renewAt, type SipCredentials } from './sip-credentials';

/** The line's registration state, for the status line. */
export const registration = signal<RegistrationState>('idle');
/** Why the line is in `error`, in words a person understands. */
export const registrationProblem = signal<string | null>(null);

/**
 * ICE gathering must not wait SIP.js's 5 s default: on loopback or with a
 * STUN server it is done in well under a second. Usually it ends far sooner:
 * `sip-lib.ts` stops at the candidates the media edge can use.
 */
export const ICE_GATHERING_TIMEOUT_MS = 500;

export type SipModule = typeof import('./sip-lib');

let sipModule: Promise<SipModule> | undefined;

/**
 * Loads SIP.js (the phone's part of it, `sip-lib.ts`) once. The line starts
 * it only after first paint; starting it alongside the credentials fetch, not
 * after it, takes its download and compile off the path to REGISTER.
 */
export function loadSip(): Promise<SipModule> {
  sipModule ??= import('./sip-lib').then(
    (m) => {
      performance.mark('line:sip-imported');
      return m;
    },
    (err: unknown) => {
      sipModule = undefined; // a failed chunk fetch (offline) is retried next time
      throw err;
    },
  );
  return sipModule;
}

/**
 * The phone line: SIP.js's UserAgent and Registerer behind the registration
 * state machine. SIP.js is imported on first start, after first paint.
 * Transport losses reconnect the same UserAgent (calls keep their dialogs)
 * with backoff and jitter; established calls then restart ICE.
 */
export class PhoneLine {
  private sip?: SipModule;
  private ua?: UserAgent;
  private registerer?: Registerer;
  private credentials?: SipCredentials;
  private attempt = 0;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private renewTimer?: ReturnType<typeof setTimeout>;
  private stopped = true;
  /** SIP.js loads after this (the page's first paint, on the first start). */
  private painted: Promise<void> = Promise.resolve();
  private readonly onOnline = () => {
    if (registration.value === 'offline') this.retryNow();
  };
  /**
   * A closing tab unregisters (best effort): otherwise its registration would
   * linger until it expires, ring nobody, and count against the edge's
   * limit of devices per user.
   */
  private readonly onPageHide = () => {
    void this.registerer?.unregister().catch(() => {});
  };

  constructor(
    private readonly handlers: {
      onInvite(invitation: Invitation): void;
      /** Called after the transport came back, so live calls can restart ICE. */
      onReconnected(): void;
    },
  ) {}

  /** The SIP.js UserAgent, once connected (calls are made through it). */
  get userAgent(): UserAgent | undefined {
    return this.ua;
  }

  /** The signed-in user's own SIP URI. */
  get ownUri(): string | undefined {
    return this.credentials?.uri;
  }

  /** The SIP domain calls are addressed in. */
  get domain(): string | undefined {
    return this.credentials ? this.credentials.uri.split('@')[1] : undefined;
  }

  /** The loaded SIP.js module (after start). */
  get module(): SipModule | undefined {
    return this.sip;
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('pagehide', this.onPageHide);
    this.fire('start');
    this.painted = afterNextPaint();
    // The edge's socket opens while the credentials are fetched; the REGISTER waits for them.
    preopenEdgeSocket();
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('pagehide', this.onPageHide);
    clearTimeout(this.retryTimer);
    clearTimeout(this.renewTimer);
    dropEdgeSocket();
    if (registration.value !== 'idle') this.fire('stop');
    const ua = this.ua;
    this.ua = undefined;
    this.registerer = undefined;
    try {
      await ua?.stop();
    } catch {
      // already down
    }
  }

  private fire(event: RegistrationEvent): void {
    registration.value = registrationMachine.next(registration.value, event);
    if (registration.value !== 'error') registrationProblem.value = null;
  }

  private async connect(): Promise<void> {
    performance.mark('line:credentials');
    const credentials = fetchSipCredentials();
    // SIP.js loads while the credentials are fetched: neither needs the other.
    const sip = this.painted.then(loadSip);
    sip.catch(() => {}); // its failure is handled below, after the credentials
    try {
      this.credentials = await credentials;
      performance.mark('line:credentials-ok');
      rememberEdgeUrl(this.credentials.wsUrl);
    } catch (err) {
      // No credentials (refused, offline): a socket opened for them goes unused.
      dropEdgeSocket();
      // Signed out (or the page left) while the fetch was in flight: nothing to report.
      if (this.stopped) return;
      if (err instanceof ApiError && !err.network && err.status < 500) {
        registrationProblem.value = err.problem?.detail ?? err.problem?.title ?? 'Calling is not available for your account.';
        this.fire('credentials_failed');
        return;
      }
      this.fire('network_offline');
      this.scheduleRetry();
      return;
    }
    if (this.stopped) return;
    this.fire('credentials_ok');
    try {
      this.sip ??= await sip;
      performance.mark('line:sip-loaded');
      if (!this.ua) this.ua = this.createUserAgent(this.sip, this.credentials);
      else this.applyCredentials(this.credentials);
      if (this.ua.isConnected()) this.fire('transport_connected');
      else {
        await (this.ua.transport.state === 'Disconnected' && this.registerer ? this.ua.reconnect() : this.ua.start());
        this.fire('transport_connected');
      }
      performance.mark('line:connected');
      this.registerer ??= new this.sip.Registerer(this.ua, { expires: 300, refreshFrequency: 80 });
      await this.register();
    } catch {
      dropEdgeSocket();
      if (this.stopped) return;
      if (registrationMachine.can(registration.value, 'transport_lost')) this.fire('transport_lost');
      this.scheduleRetry();
    }
  }

  private createUserAgent(sip: SipModule, credentials: SipCredentials): UserAgent {
    const uri = sip.UserAgent.makeURI(credentials.uri);
    if (!uri) throw new Error(`unreadable SIP URI ${credentials.uri}`);
    return new sip.UserAgent({
      uri,
      authorizationUsername: credentials.username,
      authorizationPassword: credentials.password,
      // The device id in the Contact lets the call record name the device that answered (shared/sip-device.ts).
      contactParams: { transport: 'ws', ...(credentials.deviceId ? { [SIP_DEVICE_PARAM]: credentials.deviceId } : {}) },
      transportConstructor: sip.EdgeTransport,
      transportOptions: { server: credentials.wsUrl, connectionTimeout: 5, keepAliveInterval: 25 },
      sessionDescriptionHandlerFactory: sip.sessionDescriptionHandlerFactory(credentials.iceServers),
      sessionDescriptionHandlerFactoryOptions: {
        peerConnectionConfiguration: { iceServers: credentials.iceServers },
        iceGatheringTimeout: ICE_GATHERING_TIMEOUT_MS,
      },
      logLevel: 'error',
      userAgentString: `Softphone/${__APP_VERSION__}`,
      delegate: {
        onInvite: (invitation) => this.handlers.onInvite(invitation),
        onDisconnect: (error) => {
          if (error && !this.stopped) this.lost();
        },
      },
    });
  }

  /** New credentials on the same UserAgent: used at the next challenge (SIP.js reads its options then). */
  private applyCredentials(credentials: SipCredentials): void {
    const options = this.ua?.configuration as { authorizationUsername: string; authorizationPassword: string } | undefined;
    if (!options) return;
    options.authorizationUsername = credentials.username;
    options.authorizationPassword = credentials.password;
  }

  /**
   * Sends a REGISTER and follows its answer. The answer, not the Registerer's
   * state, drives the machine: after a reconnect the state is already
   * "Registered" and would not change again.
   */
  private async register(): Promise<void> {
    await this.registerer?.register({
      requestDelegate: {
        onAccept: () => {
          const wasReconnecting = this.attempt > 0;
          this.attempt = 0;
          if (registrationMachine.can(registration.value, 'registered')) this.fire('registered');
          performance.mark('line:registered');
          this.scheduleRenewal();
          if (wasReconnecting) this.handlers.onReconnected();
        },
        onReject: () => {
          registrationProblem.value = 'The phone line refused this device. Sign out and in again, or ask your admin.';
          if (registrationMachine.can(registration.value, 'register_failed')) this.fire('register_failed');
        },
      },
    });
  }

  private lost(): void {
    if (registrationMachine.can(registration.value, 'transport_lost')) this.fire('transport_lost');
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    // Never slower in a hidden tab (unlike the live channel): a phone in the
    // background must still ring, so its line comes back as fast as in front.
    const delay = reconnectDelay(this.attempt++, { hidden: false });
    this.retryTimer = setTimeout(() => this.retryNow(), delay);
  }

  private retryNow(): void {
    clearTimeout(this.retryTimer);
    if (this.stopped || !registrationMachine.can(registration.value, 'retry')) return;
    this.fire('retry');
    void this.connect();
  }

  /** Fetches new credentials before these expire and re-registers with them, on the same transport. */
  private scheduleRenewal(): void {
    clearTimeout(this.renewTimer);
    if (!this.credentials) return;
    this.renewTimer = setTimeout(async () => {
      try {
        this.credentials = await fetchSipCredentials();
        this.applyCredentials(this.credentials);
        await this.register();
      } catch {
        this.scheduleRenewal();
      }
    }, renewAt(this.credentials) - Date.now());
  }
}
