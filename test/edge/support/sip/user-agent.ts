/**
 * A small SIP user agent for the edge's signalling tests: registers with
 * digest credentials, places calls (with re-authentication, CANCEL, ACK, BYE)
 * and receives them (ringing, answer, reject, CANCEL). No media: the media
 * tests use baresip. Over WebSocket it behaves like SIP.js on the wire.
 */
import { randomBytes } from 'node:crypto';
import { digestAuthorization } from './digest';
import { hdrs, header, headers, param, parseMessage, type SipRequest, type SipResponse, serialize, uriOf } from './message';
import type { SipTransport } from './transport';

const token = (bytes = 8) => randomBytes(bytes).toString('hex');
const branch = () => `z9hG4bK${token()}`;

/** A minimal audio offer (PCMU, no ICE): the signalling tests never send media. */
export function fakeSdp(port = 40_000): string {
  return [
    'v=0',
    `o=- ${Date.now()} 1 IN IP4 127.0.0.1`,
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

/** Waits for a promise, failing with `what` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

interface ClientTransaction {
  onResponse(res: SipResponse): void;
}

/** Who the user agent is and how it authenticates. */
export interface SipUserOptions {
  transport: SipTransport;
  /** The SIP URI user part (the platform user id, or a number for the phone network). */
  user: string;
  domain: string;
  /** auth_ephemeral credentials; none for an unauthenticated peer. */
  credentials?: { username: string; password: string };
  /** The request-URI host for REGISTER and calls (defaults to the domain). */
  registrar?: string;
}

/** A test SIP user agent on one transport. */
export class SipUser {
  readonly fromTag = token();
  private readonly regCallId = `${token()}@test`;
  private cseq = 1;
  private readonly transactions = new Map<string, ClientTransaction>();
  private readonly incoming: IncomingCall[] = [];
  private readonly waiters: Array<(call: IncomingCall) => void> = [];
  private readonly dialogs = new Map<string, IncomingCall | OutgoingCall>();
  readonly contact: string;

  constructor(readonly options: SipUserOptions) {
    const t = options.transport;
    this.contact = `<sip:${token(4)}@${t.host}${t.contactParams}>`;
    t.onMessage((text) => this.receive(text));
  }

  get aor(): string {
    return `sip:${this.options.user}@${this.options.domain}`;
  }

  /** Via for a new request. */
  via(b = branch()): string {
    return `SIP/2.0/${this.options.transport.via} ${this.options.transport.host};rport;branch=${b}`;
  }

  nextCseq(): number {
    return this.cseq++;
  }

  /** Sends a request; `onResponse` sees every response, matched by the top Via's branch. */
  send(req: SipRequest, onResponse?: (res: SipResponse) => void): { final: Promise<SipResponse> } {
    const b = param(header(req, 'via'), 'branch') as string;
    const final = new Promise<SipResponse>((resolve) => {
      this.transactions.set(b, {
        onResponse: (res) => {
          onResponse?.(res);
          if (res.status < 200) return;
          // An INVITE's 2xx may be retransmitted: keep the transaction to absorb them.
          if (!header(res, 'cseq')?.endsWith('INVITE')) this.transactions.delete(b);
          resolve(res);
        },
      });
    });
    this.options.transport.send(serialize(req));
    return { final };
  }

  private registered = false;

  /**
   * REGISTER (answering one digest challenge); resolves with the final
   * response. `expires` 0 unregisters; `to` other than our own AOR tries to
   * register a contact for someone else.
   */
  async register(expires = 600, to = this.aor): Promise<SipResponse> {
    const registrar = `sip:${this.options.registrar ?? this.options.domain}`;
    const build = (authorization?: string): SipRequest => ({
      type: 'request',
      method: 'REGISTER',
      uri: registrar,
      headers: hdrs(
        ['Via', this.via()],
        ['Max-Forwards', '70'],
        ['From', `<${this.aor}>;tag=${this.fromTag}`],
        ['To', `<${to}>`],
        ['Call-ID', this.regCallId],
        ['CSeq', `${this.nextCseq()} REGISTER`],
        ['Contact', `${this.contact};expires=${expires}`],
        ['Expires', String(expires)],
        ['Authorization', authorization],
        ['User-Agent', 'softphone-edge-test'],
      ),
      body: '',
    });
    const first = await within(this.send(build()).final, 5000, 'REGISTER response');
    const challenge = header(first, 'www-authenticate');
    if (first.status !== 401 || !challenge || !this.options.credentials) return first;
    const auth = digestAuthorization({ challenge, method: 'REGISTER', uri: registrar, ...this.options.credentials });
    const res = await within(this.send(build(auth)).final, 5000, 'authenticated REGISTER response');
    if (res.status === 200 && to === this.aor) this.registered = expires > 0;
    return res;
  }

  /** Places a call to `target` (a user id or a number, at the domain unless a full URI). */
  call(target: string, options: { sdp?: string; from?: string } = {}): OutgoingCall {
    const uri = target.startsWith('sip:') ? target : `sip:${target}@${this.options.registrar ?? this.options.domain}`;
    const call = new OutgoingCall(this, uri, options.sdp ?? fakeSdp(), options.from ?? this.aor);
    this.dialogs.set(call.callId, call);
    return call;
  }

  /** The next incoming call (or one already received and not yet taken). */
  nextInvite(timeoutMs = 5000): Promise<IncomingCall> {
    const waiting = this.incoming.shift();
    if (waiting) return Promise.resolve(waiting);
    return within(new Promise<IncomingCall>((resolve) => this.waiters.push(resolve)), timeoutMs, `an INVITE for ${this.options.user}`);
  }

  /** Calls received and not yet taken with nextInvite. */
  get pendingInvites(): number {
    return this.incoming.length;
  }

  /** Unregisters (if registered) and closes the transport. */
  async close(): Promise<void> {
    if (this.registered) await this.register(0).catch(() => undefined);
    await this.options.transport.close();
  }

  /** Sends a response to a received request. */
  reply(req: SipRequest, status: number, reason: string, extra: Array<[string, string | undefined]> = [], body = ''): void {
    const res: SipResponse = {
      type: 'response',
      status,
      reason,
      headers: [
        ...headers(req, 'via').map((value) => ({ name: 'via', value })),
        ...hdrs(
          ['From', header(req, 'from')],
          ['To', header(req, 'to')],
          ['Call-ID', header(req, 'call-id')],
          ['CSeq', header(req, 'cseq')],
        ),
        ...hdrs(...extra),
      ],
      body,
    };
    this.options.transport.send(serialize(res));
  }

  private receive(text: string): void {
    if (!text.trim()) return; // keep-alive
    const msg = parseMessage(text);
    if (msg.type === 'response') {
      const b = param(header(msg, 'via'), 'branch');
      if (b) this.transactions.get(b)?.onResponse(msg);
      return;
    }
    const callId = header(msg, 'call-id') ?? '';
    if (msg.method === 'INVITE' && !param(header(msg, 'to'), 'tag')) {
      const call = new IncomingCall(this, msg);
      this.dialogs.set(callId, call);
      const waiter = this.waiters.shift();
      if (waiter) waiter(call);
      else this.incoming.push(call);
      return;
    }
    const dialog = this.dialogs.get(callId);
    if (msg.method === 'OPTIONS') {
      this.reply(msg, 200, 'OK');
      return;
    }
    if (!dialog) {
      if (msg.method !== 'ACK') this.reply(msg, 481, 'Call/Transaction Does Not Exist');
      return;
    }
    dialog.onRequest(msg);
  }
}

/** A call this user agent placed. */
export class OutgoingCall {
  readonly callId = `${token()}@test`;
  private invite!: SipRequest;
  /** Every response to this call's INVITEs, in arrival order. */
  readonly responses: SipResponse[] = [];
  private readonly responseWaiters: Array<(res: SipResponse) => void> = [];
  private toTag?: string;
  private routeSet: string[] = [];
  private remoteTarget = '';
  // Declared before the promise that assigns it (class fields initialise in order).
  private onBye: (req: SipRequest) => void = () => {};
  private readonly endedBy = new Promise<SipRequest>((resolve) => {
    this.onBye = resolve;
  });
  /** The final response, after any re-authentication. */
  readonly final: Promise<SipResponse>;

  constructor(
    private readonly ua: SipUser,
    readonly uri: string,
    private readonly sdp: string,
    private readonly from: string,
  ) {
    this.final = this.start();
  }

  private build(authorization?: string): SipRequest {
    return {
      type: 'request',
      method: 'INVITE',
      uri: this.uri,
      headers: hdrs(
        ['Via', this.ua.via()],
        ['Max-Forwards', '70'],
        ['From', `<${this.from}>;tag=${this.ua.fromTag}`],
        ['To', `<${this.uri}>`],
        ['Call-ID', this.callId],
        ['CSeq', `${this.ua.nextCseq()} INVITE`],
        ['Contact', this.ua.contact],
        ['Proxy-Authorization', authorization],
        ['Content-Type', 'application/sdp'],
        ['User-Agent', 'softphone-edge-test'],
      ),
      body: this.sdp,
    };
  }

  private async start(): Promise<SipResponse> {
    this.invite = this.build();
    let res = await this.ua.send(this.invite, this.onResponse).final;
    const challenge = header(res, 'proxy-authenticate');
    const credentials = this.ua.options.credentials;
    if (res.status === 407 && challenge && credentials) {
      this.ackNon2xx(res);
      this.invite = this.build(digestAuthorization({ challenge, method: 'INVITE', uri: this.uri, ...credentials }));
      res = await this.ua.send(this.invite, this.onResponse).final;
    }
    if (res.status >= 300) {
      this.ackNon2xx(res);
    } else {
      this.toTag = param(header(res, 'to'), 'tag');
      this.routeSet = headers(res, 'record-route').reverse();
      this.remoteTarget = uriOf(header(res, 'contact'));
      this.ua.options.transport.send(serialize(this.inDialog('ACK', Number.parseInt(header(this.invite, 'cseq') ?? '1', 10))));
    }
    return res;
  }

  private readonly onResponse = (res: SipResponse) => {
    if (this.responses.some((r) => r.status === res.status && header(r, 'cseq') === header(res, 'cseq'))) return;
    this.responses.push(res);
    for (const waiter of this.responseWaiters.splice(0)) waiter(res);
  };

  /** Resolves when a response with this status arrives (at once if it already has). */
  response(status: number, timeoutMs = 5000): Promise<SipResponse> {
    const seen = this.responses.find((r) => r.status === status);
    if (seen) return Promise.resolve(seen);
    return within(
      new Promise<SipResponse>((resolve) => {
        const wait = (res: SipResponse) => (res.status === status ? resolve(res) : this.responseWaiters.push(wait));
        this.responseWaiters.push(wait);
      }),
      timeoutMs,
      `${status} for ${this.uri}`,
    );
  }

  /** The final response's status, waiting at most `timeoutMs`. */
  async status(timeoutMs = 8000): Promise<number> {
    return (await within(this.final, timeoutMs, `a final response for ${this.uri}`)).status;
  }

  private ackNon2xx(res: SipResponse): void {
    const ack: SipRequest = {
      type: 'request',
      method: 'ACK',
      uri: this.invite.uri,
      headers: [
        { name: 'via', value: header(this.invite, 'via') as string },
        ...hdrs(
          ['Max-Forwards', '70'],
          ['From', header(this.invite, 'from')],
          ['To', header(res, 'to')],
          ['Call-ID', this.callId],
          ['CSeq', `${Number.parseInt(header(this.invite, 'cseq') ?? '1', 10)} ACK`],
        ),
      ],
      body: '',
    };
    this.ua.options.transport.send(serialize(ack));
  }

  private inDialog(method: string, cseq = this.ua.nextCseq()): SipRequest {
    return {
      type: 'request',
      method,
      uri: this.remoteTarget,
      headers: hdrs(
        ['Via', this.ua.via()],
        ['Max-Forwards', '70'],
        ...this.routeSet.map((r): [string, string] => ['Route', r]),
        ['From', header(this.invite, 'from')],
        ['To', `<${this.uri}>;tag=${this.toTag}`],
        ['Call-ID', this.callId],
        ['CSeq', `${cseq} ${method}`],
      ),
      body: '',
    };
  }

  /** CANCELs the pending INVITE. */
  cancel(): Promise<SipResponse> {
    const cancel: SipRequest = {
      type: 'request',
      method: 'CANCEL',
      uri: this.invite.uri,
      headers: [
        { name: 'via', value: header(this.invite, 'via') as string },
        ...hdrs(
          ['Max-Forwards', '70'],
          ['From', header(this.invite, 'from')],
          ['To', header(this.invite, 'to')],
          ['Call-ID', this.callId],
          ['CSeq', `${Number.parseInt(header(this.invite, 'cseq') ?? '1', 10)} CANCEL`],
        ),
      ],
      body: '',
    };
    // The CANCEL's own transaction shares the INVITE's branch: send it raw and let the INVITE end with 487.
    this.ua.options.transport.send(serialize(cancel));
    return this.final;
  }

  /** Hangs up an answered call; resolves with the BYE's final response. */
  async bye(): Promise<SipResponse> {
    return within(this.ua.send(this.inDialog('BYE')).final, 5000, 'BYE response');
  }

  /** Resolves when the other side hangs up. */
  ended(timeoutMs = 5000): Promise<SipRequest> {
    return within(this.endedBy, timeoutMs, 'a BYE');
  }

  onRequest(req: SipRequest): void {
    this.ua.reply(req, 200, 'OK');
    if (req.method === 'BYE') this.onBye(req);
  }
}

/** A call this user agent received. */
export class IncomingCall {
  readonly toTag = token();
  private ackResolve!: () => void;
  readonly acked = new Promise<void>((resolve) => {
    this.ackResolve = resolve;
  });
  private cancelResolve!: () => void;
  /** Resolves when the caller (or the proxy, for a losing fork) cancels. */
  readonly canceled = new Promise<void>((resolve) => {
    this.cancelResolve = resolve;
  });
  private byeResolve!: () => void;
  readonly ended = new Promise<void>((resolve) => {
    this.byeResolve = resolve;
  });
  private answered = false;
  private finished = false;

  constructor(
    private readonly ua: SipUser,
    readonly request: SipRequest,
  ) {
    ua.reply(request, 100, 'Trying');
  }

  /** The From header's URI: who is calling, as the edge presents them. */
  get from(): string {
    return uriOf(header(this.request, 'from'));
  }

  get callId(): string {
    return header(this.request, 'call-id') ?? '';
  }

  private toWithTag(): string {
    return `${header(this.request, 'to')};tag=${this.toTag}`;
  }

  /** 180 Ringing. */
  ring(): void {
    this.respond(180, 'Ringing');
  }

  private respond(status: number, reason: string, extra: Array<[string, string | undefined]> = [], body = ''): void {
    const req = this.request;
    const res: SipResponse = {
      type: 'response',
      status,
      reason,
      headers: [
        ...headers(req, 'via').map((value) => ({ name: 'via', value })),
        ...hdrs(
          ['From', header(req, 'from')],
          ['To', this.toWithTag()],
          ['Call-ID', header(req, 'call-id')],
          ['CSeq', header(req, 'cseq')],
        ),
        ...hdrs(...extra),
      ],
      body,
    };
    this.ua.options.transport.send(serialize(res));
  }

  /** Answers with 200 OK (Record-Route copied, our Contact) and waits for the ACK. */
  async answer(sdp = fakeSdp(40_002)): Promise<void> {
    this.answered = true;
    this.finished = true;
    const rr = headers(this.request, 'record-route').map((value): [string, string] => ['Record-Route', value]);
    this.respond(200, 'OK', [...rr, ['Contact', this.ua.contact], ['Content-Type', 'application/sdp']], sdp);
    await within(this.acked, 5000, 'the ACK of our 200 OK');
  }

  /** Refuses the call with a final status. */
  reject(status = 486, reason = 'Busy Here'): void {
    this.finished = true;
    this.respond(status, reason);
  }

  /** Hangs up an answered call from this side. */
  async bye(): Promise<SipResponse> {
    const routes = headers(this.request, 'record-route');
    const req: SipRequest = {
      type: 'request',
      method: 'BYE',
      uri: uriOf(header(this.request, 'contact')),
      headers: hdrs(
        ['Via', this.ua.via()],
        ['Max-Forwards', '70'],
        ...routes.map((r): [string, string] => ['Route', r]),
        ['From', this.toWithTag()],
        ['To', header(this.request, 'from')],
        ['Call-ID', this.callId],
        ['CSeq', `${this.ua.nextCseq()} BYE`],
      ),
      body: '',
    };
    return within(this.ua.send(req).final, 5000, 'BYE response');
  }

  onRequest(req: SipRequest): void {
    switch (req.method) {
      case 'ACK':
        this.ackResolve();
        return;
      case 'CANCEL':
        this.ua.reply(req, 200, 'OK');
        if (!this.finished) {
          this.finished = true;
          this.respond(487, 'Request Terminated');
        }
        this.cancelResolve();
        return;
      case 'BYE':
        this.ua.reply(req, 200, 'OK');
        this.byeResolve();
        return;
      default:
        this.ua.reply(req, 200, 'OK');
    }
  }

  get wasAnswered(): boolean {
    return this.answered;
  }
}
