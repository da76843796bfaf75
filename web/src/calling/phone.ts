import { computed, effect, signal } from '@preact/signals';
import type { Invitation, Inviter } from 'sip.js';
import { me } from '../auth/session';
import { PhoneCall } from './call';
import { activeCallCount } from './call-activity';
import { preferredMicrophone } from './DevicePicker';
import { parseDialInput, preloadNumberParsing } from './dial-target';
import { PhoneLine, registration } from './line';
import { Ringtone } from './ringtone';

/** Every call this tab knows about that has not ended, newest last. */
export const calls = signal<PhoneCall[]>([]);
/** The call the screen is about: a ringing incoming call first, else the newest. */
export const focusedCall = computed(() => calls.value.find((c) => c.state.value === 'incoming') ?? calls.value.at(-1));
/** Why the last dial attempt did not start a call. */
export const dialProblem = signal<string | null>(null);
/** The last outgoing call that ended (its outcome may be filled in just after it ends). */
const lastEnded = signal<PhoneCall | null>(null);
/** How the last outgoing call ended, in words, when the person should know (declined, busy…). */
export const lastCallEnding = computed(() => ENDINGS[lastEnded.value?.outcome.value ?? ''] ?? null);

const ENDINGS: Partial<Record<string, string>> = {
  declined: 'The call was declined.',
  busy: 'The line is busy.',
  unavailable: 'No answer: they are not available.',
  failed: 'The call could not be connected.',
};

const ringtone = new Ringtone();
let line: PhoneLine | undefined;
let audio: HTMLAudioElement | undefined;

function remoteAudio(): HTMLAudioElement {
  if (!audio) {
    audio = document.createElement('audio');
    audio.autoplay = true;
    audio.id = 'remote-audio';
    document.body.append(audio);
  }
  return audio;
}

/**
 * A blind transfer asks us (REFER) to call someone else: accept, place the
 * new call the same way as a dialled one, and end this one when it connects.
 */
function followTransfers(call: PhoneCall): void {
  const session = call.session;
  session.delegate = {
    ...session.delegate,
    onRefer: (referral) => {
      const sip = line?.module;
      if (!sip) return void referral.reject();
      void referral.accept().then(() => {
        const inviter = referral.makeInviter({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
        void place(new PhoneCall('outgoing', referral.referTo.uri.user ?? 'transfer', inviter, sip, remoteAudio()), inviter);
      });
    },
  };
}

/** Sends an outgoing call's INVITE, following its progress (ringing) and its refusal (busy, declined…). */
async function place(call: PhoneCall, inviter: Inviter): Promise<void> {
  track(call);
  await inviter.invite({
    requestDelegate: {
      onProgress: (response) => {
        if (response.message.statusCode === 180 || response.message.statusCode === 183) call.ringing();
      },
      onReject: (response) => call.rejectedWith(response.message.statusCode ?? 500),
    },
  });
}

function track(call: PhoneCall): void {
  followTransfers(call);
  calls.value = [...calls.value, call];
  lastEnded.value = null;
  call.onEnded(() => {
    calls.value = calls.value.filter((c) => c !== call);
    if (call.direction === 'outgoing') lastEnded.value = call;
  });
}

function onInvite(invitation: Invitation): void {
  const sip = line?.module;
  if (!sip) return;
  const remote = invitation.remoteIdentity.uri.user ?? 'unknown';
  const call = new PhoneCall('incoming', remote, invitation, sip, remoteAudio());
  track(call);
  // Answered on another device: the edge CANCELs with this reason (RFC 3326).
  invitation.delegate = {
    ...invitation.delegate,
    onCancel: (message) => {
      const elsewhere = /cause=200/.test(message.request.getHeader('Reason') ?? '');
      call.outcome.value = elsewhere ? 'answered_elsewhere' : 'missed';
    },
  };
  if (document.hidden && 'Notification' in window && Notification.permission === 'granted') {
    const n = new Notification('Incoming call', {
      body: call.remoteDisplayName ?? remote,
      tag: `call-${call.id}`,
      requireInteraction: true,
    });
    call.onEnded(() => n.close());
  }
}

/** Starts the phone line for the signed-in user (idempotent). */
export function startPhone(): void {
  if (line) return;
  line = new PhoneLine({
    onInvite,
    onReconnected: () => {
      for (const call of calls.value) void call.restartIce().catch(() => {});
    },
  });
  void line.start();
}

/** Answers a ringing call; a call already in progress is put on hold first (call waiting). */
export async function answerCall(call: PhoneCall): Promise<void> {
  for (const other of calls.value) if (other !== call && other.state.value === 'established') await other.setHold(true).catch(() => {});
  await call.answer();
}

/** Stops the line (which unregisters this device) and ends every call: sign-out, or calling turned off. */
export async function stopPhone(): Promise<void> {
  for (const call of calls.value) await call.hangup().catch(() => {});
  const current = line;
  line = undefined;
  await current?.stop();
}

/** Starts the line afresh (from a line that gave up, e.g. refused before calling was turned on). */
export async function restartPhone(): Promise<void> {
  await stopPhone();
  startPhone();
}

/** Places a call to what the person typed. */
export async function dial(input: string): Promise<PhoneCall | undefined> {
  dialProblem.value = null;
  const sip = line?.module;
  const ua = line?.userAgent;
  if (!sip || !ua || registration.value !== 'ready') {
    dialProblem.value = 'Your phone line is not connected yet.';
    return undefined;
  }
  const target = await parseDialInput(input, me.value?.business.country ?? 'GB');
  if (!target) {
    dialProblem.value = 'That is not a number we can call. Check it, or add the country code (e.g. +44).';
    return undefined;
  }
  const uri = sip.UserAgent.makeURI(`sip:${target.value}@${line?.domain}`);
  if (!uri) return undefined;
  const microphone = preferredMicrophone();
  const inviter: Inviter = new sip.Inviter(ua, uri, {
    sessionDescriptionHandlerOptions: { constraints: { audio: microphone ? { deviceId: microphone } : true, video: false } },
  });
  const call = new PhoneCall('outgoing', target.value, inviter, sip, remoteAudio());
  await place(call, inviter);
  return call;
}

/** The SIP URI for a transfer target typed like a dial input. */
export async function transferUri(input: string): Promise<string | undefined> {
  const target = await parseDialInput(input, me.value?.business.country ?? 'GB');
  return target && line?.domain ? `sip:${target.value}@${line.domain}` : undefined;
}

// Once the line is ready, fetch what the first dial needs while the browser is idle.
let numbersPreloaded = false;
effect(() => {
  if (registration.value !== 'ready' || numbersPreloaded) return;
  numbersPreloaded = true;
  if ('requestIdleCallback' in window) requestIdleCallback(preloadNumberParsing);
  else setTimeout(preloadNumberParsing, 0);
});

// Ring while any call is ringing here; the count of live calls gates app updates.
effect(() => {
  const ringingNow = calls.value.some((c) => c.state.value === 'incoming');
  if (ringingNow) ringtone.start();
  else ringtone.stop();
  activeCallCount.value = calls.value.length;
});
