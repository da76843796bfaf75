import { computed, signal } from '@preact/signals';
import type { Invitation, Inviter, Session } from 'sip.js';
import { type CallEvent, type CallOutcome, type CallState, callMachine } from './call-machine';
import { estimateMos, sampleQuality } from './call-quality';
import { preferredMicrophone } from './DevicePicker';
import type { SipModule } from './line';

interface PeerHandler {
  peerConnection: RTCPeerConnection | undefined;
  remoteMediaStream: MediaStream;
  sendDtmf(tones: string, options?: { duration: number; interToneGap: number }): boolean;
}

let nextId = 1;

/**
 * One call, incoming or outgoing: SIP.js's session behind the call state
 * machine, with the controls a business phone needs. Its signals drive the
 * in-call and incoming-call screens.
 */
export class PhoneCall {
  readonly id = nextId++;
  readonly state = signal<CallState>('dialing');
  readonly outcome = signal<CallOutcome | null>(null);
  readonly muted = signal(false);
  readonly mos = signal<number | null>(null);
  readonly answeredAt = signal<number | null>(null);
  /** RTP packets received and sent so far (from getStats): the proof that audio flows. */
  readonly packetsIn = signal(0);
  readonly packetsOut = signal(0);
  readonly startedAt = Date.now();
  readonly onHold = computed(() => this.state.value === 'held');
  private qualityTimer?: ReturnType<typeof setInterval>;
  private counters?: { received: number; lost: number };
  private endListeners: Array<() => void> = [];

  constructor(
    readonly direction: 'outgoing' | 'incoming',
    /** The other party as dialled or as presented (E.164, extension, or user id). */
    readonly remote: string,
    readonly session: Inviter | Invitation,
    private readonly sip: SipModule,
    private readonly audio: HTMLAudioElement,
  ) {
    this.state.value = direction === 'incoming' ? 'incoming' : 'dialing';
    session.stateChange.addListener((s) => this.onSessionState(s));
  }

  /** The remote party's name as their phone presents it, if any. */
  get remoteDisplayName(): string | undefined {
    return this.session.remoteIdentity.displayName || undefined;
  }

  onEnded(listener: () => void): void {
    this.endListeners.push(listener);
  }

  /** Applies a call event through the machine (throws on an invalid one: a bug). */
  fire(event: CallEvent): void {
    this.state.value = callMachine.next(this.state.value, event);
    if (this.state.value === 'ended') this.finish();
  }

  private onSessionState(s: string): void {
    const { SessionState } = this.sip;
    if (s === SessionState.Established) {
      if (callMachine.can(this.state.value, 'accepted')) {
        this.answeredAt.value = Date.now();
        this.fire('accepted');
        this.attachAudio();
      }
    } else if (s === SessionState.Terminated && this.state.value !== 'ended') {
      if (this.outcome.value === null)
        this.outcome.value = this.answeredAt.value ? 'completed' : this.direction === 'incoming' ? 'missed' : 'failed';
      this.fire('terminated');
    }
  }

  /** Answers an incoming call with the microphone (optionally a chosen one). */
  async answer(microphoneId = preferredMicrophone()): Promise<void> {
    this.fire('answer');
    const options = {
      sessionDescriptionHandlerOptions: {
        constraints: { audio: microphoneId ? { deviceId: microphoneId } : true, video: false },
      },
    };
    try {
      await (this.session as Invitation).accept(options);
    } catch {
      this.outcome.value = 'failed';
      if (callMachine.can(this.state.value, 'failed')) this.fire('failed');
    }
  }

  /** Declines a ringing incoming call (603: final, never diverted to voicemail), or hangs up / cancels any other. */
  async hangup(): Promise<void> {
    const { SessionState } = this.sip;
    const session = this.session;
    if (this.state.value === 'ended' || this.state.value === 'ending') return;
    this.fire('hangup');
    if (this.direction === 'incoming' && session.state === SessionState.Initial) {
      this.outcome.value = 'declined';
      await (session as Invitation).reject({ statusCode: 603 });
    } else if (session.state === SessionState.Established) {
      this.outcome.value = 'completed';
      await session.bye();
    } else if (this.direction === 'outgoing') {
      this.outcome.value = 'cancelled';
      await (session as Inviter).cancel();
    }
  }

  /** Marks how an outgoing call was refused (from the final response code). */
  rejectedWith(statusCode: number): void {
    this.outcome.value =
      statusCode === 486 || statusCode === 600 ? 'busy' : statusCode === 603 ? 'declined' : statusCode === 480 ? 'unavailable' : 'failed';
    if (callMachine.can(this.state.value, 'rejected')) this.fire('rejected');
  }

  /** The far end is ringing. */
  ringing(): void {
    if (callMachine.can(this.state.value, 'progress')) this.fire('progress');
  }

  /** Mutes by disabling the outgoing track: no renegotiation, instant. */
  setMuted(muted: boolean): void {
    for (const sender of this.peer()?.peerConnection?.getSenders() ?? []) if (sender.track) sender.track.enabled = !muted;
    this.muted.value = muted;
  }

  /** Puts the call on hold (a re-INVITE with sendonly), or resumes it. */
  async setHold(hold: boolean): Promise<void> {
    this.fire(hold ? 'hold' : 'resume');
    const session = this.session as Session & { sessionDescriptionHandlerOptionsReInvite: { hold?: boolean } };
    session.sessionDescriptionHandlerOptionsReInvite = { hold };
    await new Promise<void>((resolve, reject) => {
      session
        .invite({
          requestDelegate: {
            onAccept: () => {
              this.fire(hold ? 'held' : 'resumed');
              resolve();
            },
            onReject: () => reject(new Error('hold refused')),
          },
        })
        .catch(reject);
    });
  }

  /** Sends DTMF in the media (RFC 4733 telephone-events). */
  sendDtmf(digit: string): boolean {
    return this.peer()?.sendDtmf(digit, { duration: 160, interToneGap: 70 }) ?? false;
  }

  /** Blind transfer: asks the far end to call `target` (REFER), then this call ends. */
  async transfer(targetUri: string): Promise<void> {
    const target = this.sip.UserAgent.makeURI(targetUri);
    if (!target) throw new Error(`cannot transfer to ${targetUri}`);
    await this.session.refer(target, {
      requestDelegate: {
        onAccept: () => {
          this.outcome.value = 'completed';
          void this.session.bye();
        },
      },
    });
  }

  /**
   * Restarts ICE after the network changed, so the call survives a blip.
   * The re-INVITE is also a target refresh: it tells the far end (through
   * the edge) where this device is now, since its old connection is gone.
   * Both ends do it at once after an edge-side drop, so glare (491) and a
   * far end still on its old connection (477/5xx) are expected: retried
   * after RFC 3261 §14.1's waits (the caller, who owns the Call-ID, 2.1–4 s;
   * the callee 0–2 s) so the two ends stop colliding.
   */
  async restartIce(attempt = 0): Promise<void> {
    if (this.state.value !== 'established') return;
    const retry = () => {
      if (attempt >= 4) return;
      const wait = this.direction === 'outgoing' ? 2100 + Math.random() * 1900 : Math.random() * 2000;
      setTimeout(() => void this.restartIce(attempt + 1).catch(() => {}), wait);
    };
    await this.session.invite({
      requestDelegate: {
        // 408 and 481 end the dialog (SIP.js hangs up); anything else leaves the call up, on its old path.
        onReject: (response) => {
          const code = response.message.statusCode ?? 0;
          if (code !== 408 && code !== 481) retry();
        },
      },
      sessionDescriptionHandlerOptions: { offerOptions: { iceRestart: true } } as never,
    });
  }

  /** Switches the microphone mid-call with `replaceTrack`: no renegotiation. */
  async setMicrophone(deviceId: string): Promise<void> {
    const pc = this.peer()?.peerConnection;
    const sender = pc?.getSenders().find((s) => s.track?.kind === 'audio');
    if (!sender) return;
    const stream = await navigator.mediaDevices.getUserMedia({ audio: { deviceId: { exact: deviceId } } });
    const [track] = stream.getAudioTracks();
    if (!track) return;
    track.enabled = !this.muted.value;
    const old = sender.track;
    await sender.replaceTrack(track);
    old?.stop();
  }

  private peer(): PeerHandler | undefined {
    return this.session.sessionDescriptionHandler as unknown as PeerHandler | undefined;
  }

  /** Plays the far end: Chromium reports audio energy only once the stream plays in an element. */
  private attachAudio(): void {
    const peer = this.peer();
    if (!peer) return;
    this.audio.srcObject = peer.remoteMediaStream;
    void this.audio.play().catch(() => {});
    this.qualityTimer = setInterval(async () => {
      const pc = peer.peerConnection;
      if (!pc) return;
      const { sample, counters, sent } = await sampleQuality(pc, this.counters);
      this.counters = counters;
      this.packetsIn.value = counters.received;
      this.packetsOut.value = sent;
      this.mos.value = estimateMos(sample);
    }, 1000);
  }

  private finish(): void {
    clearInterval(this.qualityTimer);
    if (this.audio.srcObject) this.audio.srcObject = null;
    for (const listener of this.endListeners.splice(0)) listener();
  }
}
