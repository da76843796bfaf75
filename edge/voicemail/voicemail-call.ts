/**
 * One voicemail call: answer, play the owner's greeting, a beep, record the
 * caller until they hang up, fall silent or reach the length limit, then
 * spool the message for upload (or drop it when nobody said anything).
 */
import { readFileSync } from 'node:fs';
import { type Invitation, SessionState } from 'sip.js';
import { VOICEMAIL_MAX_MESSAGE_SECONDS, VOICEMAIL_MIN_MESSAGE_MS, VOICEMAIL_SILENCE_SECONDS } from '../../shared/voicemail-api';
import { framesOf, type Greetings } from './greetings';
import type { MessageSpool } from './message-spool';
import { play, sleep } from './player';
import { MessageRecorder } from './recorder';
import { SilenceDetector } from './silence';
import type { Uploader } from './upload';
import type { WeriftSessionDescriptionHandler } from './webrtc-sdh';

/** Only Kamailio sets the mailbox header (it removes any a client sent); user ids are `usr_…`. */
const MAILBOX = /^usr_[A-Za-z0-9_-]{1,64}$/;

export interface CallDeps {
  greetings: Greetings;
  spool: MessageSpool;
  uploader: Uploader;
  log: (message: string, fields?: Record<string, unknown>) => void;
  limits?: { maxMessageMs?: number; silenceMs?: number; minMessageMs?: number };
}

/** What happened, for the logs and the health counters. */
export interface CallOutcome {
  callId: string;
  userId: string | null;
  result: 'message' | 'too_short' | 'hung_up_early' | 'media_failed' | 'refused';
  answerMs?: number;
  mediaMs?: number;
  durationMs?: number;
}

export async function handleVoicemailCall(invitation: Invitation, deps: CallDeps): Promise<CallOutcome> {
  const received = performance.now();
  const callId = invitation.request.callId;
  const userId = invitation.request.getHeader('X-Voicemail-For') ?? '';
  if (!MAILBOX.test(userId)) {
    deps.log('call without a valid mailbox refused', { callId, userId });
    await invitation.reject({ statusCode: 404 }).catch(() => undefined);
    return { callId, userId: null, result: 'refused' };
  }
  // The caller as the edge saw them (a user id or a number), else the From user.
  const from = invitation.request.getHeader('X-Voicemail-Caller') || invitation.remoteIdentity.uri.user || 'unknown';
  const limits = {
    maxMessageMs: deps.limits?.maxMessageMs ?? VOICEMAIL_MAX_MESSAGE_SECONDS * 1000,
    silenceMs: deps.limits?.silenceMs ?? VOICEMAIL_SILENCE_SECONDS * 1000,
    minMessageMs: deps.limits?.minMessageMs ?? VOICEMAIL_MIN_MESSAGE_MS,
  };

  // Fetched while the call is answered and media set up (usually a 304 from the cache).
  const greeting = deps.greetings.forUser(userId);
  const hungUp = new AbortController();
  invitation.stateChange.addListener((state) => {
    if (state === SessionState.Terminated) hungUp.abort();
  });

  try {
    await invitation.accept();
  } catch (err) {
    deps.log('could not answer', { callId, error: String(err) });
    return { callId, userId, result: 'media_failed' };
  }
  const answerMs = Math.round(performance.now() - received);
  const media = invitation.sessionDescriptionHandler as WeriftSessionDescriptionHandler;
  const connected = await Promise.race([media.connected.then(() => true), sleep(8000, hungUp.signal).then(() => false)]).catch(() => false);
  const codec = media.codec;
  if (!connected || !codec) {
    deps.log('media did not connect', { callId, userId, codec });
    if (!hungUp.signal.aborted) await invitation.bye().catch(() => undefined);
    return { callId, userId, result: hungUp.signal.aborted ? 'hung_up_early' : 'media_failed', answerMs };
  }
  const mediaMs = Math.round(performance.now() - received);
  const clock = codec === 'opus' ? 48_000 : 8_000;

  const { files, kind } = await greeting;
  deps.log('answered', { callId, userId, from, codec, greeting: kind, answerMs, mediaMs });
  await play(media, framesOf(readFileSync(files[codec]), codec), clock, hungUp.signal);
  await sleep(250, hungUp.signal);
  await play(media, deps.greetings.beep(codec), clock, hungUp.signal);
  if (hungUp.signal.aborted) return { callId, userId, result: 'hung_up_early', answerMs, mediaMs };

  const receivedAt = Date.now();
  const recorder = new MessageRecorder(codec);
  const silence = new SilenceDetector(codec);
  const payloadType = media.payloadType;
  let recording = true;
  media.onRtp(({ header, payload }) => {
    // Only the call's audio codec: not telephone-event, not comfort noise.
    if (!recording || header.payloadType !== payloadType) return;
    recorder.add({ ssrc: header.ssrc, sequenceNumber: header.sequenceNumber, timestamp: header.timestamp, payload }, silence.hear(payload));
  });
  const why = await new Promise<'hangup' | 'limit' | 'silence'>((resolve) => {
    const tick = setInterval(() => {
      if (hungUp.signal.aborted) finish('hangup');
      else if (Date.now() - receivedAt >= limits.maxMessageMs) finish('limit');
      else if (silence.silentFor() >= limits.silenceMs) finish('silence');
    }, 100);
    function finish(reason: 'hangup' | 'limit' | 'silence') {
      clearInterval(tick);
      recording = false;
      resolve(reason);
    }
  });
  if (why !== 'hangup') await invitation.bye().catch(() => undefined);

  if (recorder.durationMs < limits.minMessageMs) {
    deps.log('no message left', { callId, userId, why, durationMs: recorder.durationMs });
    return { callId, userId, result: 'too_short', answerMs, mediaMs, durationMs: recorder.durationMs };
  }
  const message = await recorder.finish();
  const id = deps.spool.put({ callId, userId, from, receivedAt, durationMs: message.durationMs }, message.audio, message.contentType);
  deps.uploader.poke();
  deps.log('message spooled', { callId, userId, id, why, durationMs: message.durationMs, bytes: message.audio.length });
  return { callId, userId, result: 'message', answerMs, mediaMs, durationMs: message.durationMs };
}
