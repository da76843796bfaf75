/**
 * A caller for the voicemail tests that controls what it says: SIP.js over
 * WebSocket with werift media (ICE, DTLS-SRTP through rtpengine), as a
 * browser calls, in Opus or PCMU. It sends a tone from the moment media
 * connects, and encoded silence from a moment it is given; it notes when
 * each packet arrived (the greeting and beep end when they stop), when it
 * sent its last tone, and who ended the call and when. Times are
 * `Date.now()` on the caller's side.
 */
import { Inviter, SessionState, UserAgent } from 'sip.js';
import WebSocket from 'ws';
import { ffmpeg, OGG_OPUS_OUT, ULAW_OUT } from '../../../edge/voicemail/ffmpeg';
import { type Frame, framesOf } from '../../../edge/voicemail/greetings';
import { sleep } from '../../../edge/voicemail/player';
import { type AudioCodec, type WeriftSessionDescriptionHandler, weriftSdhFactory } from '../../../edge/voicemail/webrtc-sdh';
import { credentialsFor, edge } from './edge-context';

/** The tone every caller speaks with. */
export const CALLER_TONE_HZ = 660;
const CLOCK: Record<AudioCodec, number> = { opus: 48_000, pcmu: 8_000 };

/** Tone frames, and one frame of silence as the codec carries it (Opus: 3 bytes; μ-law: 0xFF, digital zero). */
interface Sounds {
  tone: Frame[];
  silence: Frame;
}
const sounds = new Map<AudioCodec, Promise<Sounds>>();

function soundsFor(codec: AudioCodec): Promise<Sounds> {
  let made = sounds.get(codec);
  if (!made) {
    made = (async () => {
      const sine = ['-f', 'lavfi', '-i', `sine=frequency=${CALLER_TONE_HZ}:duration=30`];
      if (codec === 'pcmu') {
        return {
          tone: framesOf(await ffmpeg([...sine, ...ULAW_OUT, 'pipe:1']), 'pcmu'),
          silence: { payload: Buffer.alloc(160, 0xff), samples: 160 },
        };
      }
      const tone = framesOf(await ffmpeg([...sine, ...OGG_OPUS_OUT, '-f', 'ogg', 'pipe:1']), 'opus');
      // Silence as an encoder that was just carrying speech sends it (3 bytes a packet). libopus
      // started on digital silence sends 35-byte packets, which the service (reading sizes only)
      // counts as speech.
      const fallingSilent = framesOf(
        await ffmpeg([
          ...['-f', 'lavfi', '-i', `sine=frequency=${CALLER_TONE_HZ}:duration=1`, '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono:d=2'],
          ...['-filter_complex', '[0][1]concat=n=2:v=0:a=1', ...OGG_OPUS_OUT, '-f', 'ogg', 'pipe:1'],
        ]),
        'opus',
      );
      // Packet 100: the middle of the silence.
      return { tone, silence: fallingSilent[100] as Frame };
    })();
    sounds.set(codec, made);
  }
  return made;
}

/** How a call ended, seen from the caller. */
export interface CallEnd {
  at: number;
  /** `callee`: the other side sent BYE (the voicemail service hung up). */
  by: 'caller' | 'callee';
}

/** Calls `to` as `from` through the Kamailio at `wsUrl`, offering only `codec`. */
export async function callVoicemail(options: { wsUrl: string; from: string; to: string; codec: AudioCodec }) {
  const { codec } = options;
  const { tone, silence } = await soundsFor(codec);
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
  const { username, password } = credentialsFor(options.from);
  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${options.from}@${edge.sipDomain}`),
    transportOptions: { server: options.wsUrl },
    authorizationUsername: username,
    authorizationPassword: password,
    sessionDescriptionHandlerFactory: weriftSdhFactory({ codecs: [codec], address: '127.0.0.1' }),
    logLevel: 'error',
  });
  await ua.start();
  const target = UserAgent.makeURI(`sip:${options.to}@${edge.sipDomain}`);
  if (!target) throw new Error('bad target');
  const inviter = new Inviter(ua, target);

  const stopSending = new AbortController();
  const heard: number[] = [];
  let silentAt = Number.POSITIVE_INFINITY;
  let lastToneSentAt: number | undefined;
  let hangingUp = false;
  let resolveEnd: (end: CallEnd) => void = () => undefined;
  const ended = new Promise<CallEnd>((resolve) => {
    resolveEnd = resolve;
  });
  const established = new Promise<void>((resolve, reject) => {
    inviter.stateChange.addListener((s) => {
      if (s === SessionState.Established) resolve();
      if (s === SessionState.Terminated) {
        stopSending.abort();
        resolveEnd({ at: Date.now(), by: hangingUp ? 'caller' : 'callee' });
        reject(new Error('call ended before it was answered'));
      }
    });
  });
  established.catch(() => undefined);
  const finalStatus = new Promise<number>((resolve) => {
    void inviter.invite({
      requestDelegate: {
        onAccept: (r) => resolve(r.message.statusCode ?? 0),
        onReject: (r) => resolve(r.message.statusCode ?? 0),
      },
    });
  });

  /** One frame every 20 ms, due from the start (as edge/voicemail/player.ts paces): tone until `silentAt`, then silence. */
  async function send(media: WeriftSessionDescriptionHandler) {
    const start = performance.now();
    let due = 0;
    for (let i = 0; !stopSending.signal.aborted; i++) {
      const wait = start + due - performance.now();
      if (wait > 1) await sleep(wait, stopSending.signal);
      if (stopSending.signal.aborted) return;
      const now = Date.now();
      const frame = now < silentAt ? (tone[i % tone.length] as Frame) : silence;
      media.send(frame.payload, frame.samples);
      if (frame !== silence) lastToneSentAt = now;
      due += (frame.samples * 1000) / CLOCK[codec];
    }
  }

  return {
    callId: inviter.request.callId,
    finalStatus,
    /** Resolves when the call ended, whoever ended it. */
    ended,
    /** Waits for the answer and media, then speaks (the tone) until told otherwise. */
    async established(): Promise<WeriftSessionDescriptionHandler> {
      await established;
      const media = inviter.sessionDescriptionHandler as WeriftSessionDescriptionHandler;
      media.onRtp(() => heard.push(Date.now()));
      await media.connected;
      void send(media);
      return media;
    },
    /**
     * Resolves, once the service has been quiet for 1.5 s after its greeting
     * and beep (it is recording), with when the last of them arrived.
     */
    async greetingDone(timeoutMs = 15_000): Promise<number> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const last = heard.at(-1);
        // Quiet for 1.5 s: a busy machine can stall the service's pacer for half a second mid-greeting.
        if (last && heard.length > 50 && Date.now() - last > 1500) return last;
        await sleep(100);
      }
      throw new Error('the greeting never ended');
    },
    /** Sends silence instead of the tone from `at` on. */
    silentFrom(at: number): void {
      silentAt = at;
    },
    /** When the last tone frame went out. */
    get lastToneSentAt(): number | undefined {
      return lastToneSentAt;
    },
    async hangUp(): Promise<void> {
      hangingUp = true;
      stopSending.abort();
      if (inviter.state === SessionState.Established) await inviter.bye();
      await ua.stop();
    },
    async close(): Promise<void> {
      hangingUp = true;
      stopSending.abort();
      await ua.stop().catch(() => undefined);
    },
  };
}

/** A call placed by {@link callVoicemail}. */
export type VoicemailCall = Awaited<ReturnType<typeof callVoicemail>>;
