/**
 * A greeting take: ask for the microphone, record with a running clock,
 * stop by hand or at GREETING_MAX_SECONDS, then a take to listen to, keep
 * or throw away. The microphone is released as soon as recording stops.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { GREETING_MAX_SECONDS, greetingUploadQuery } from '../../../shared/voicemail-api';
import { microphoneProblem, pickGreetingType } from './greeting-recorder';

/** A finished recording, not saved yet. */
export interface Take {
  blob: Blob;
  /** The type to upload it as: one of GREETING_CONTENT_TYPES, without codec parameters. */
  type: string;
  /** An object URL for listening to it here. */
  url: string;
  durationMs: number;
}

export type RecorderPhase = 'idle' | 'asking' | 'recording' | 'recorded';

export interface GreetingRecorder {
  phase: RecorderPhase;
  /** While recording: how long so far. */
  elapsedMs: number;
  take: Take | null;
  problem: string | null;
  /** Why the last recording stopped by itself (the length limit), for the status line. */
  notice: string | null;
  start(): void;
  stop(): void;
  discard(): void;
}

const MAX_MS = GREETING_MAX_SECONDS * 1000;
/** The server refuses shorter greetings: one breath is not a greeting. */
const MIN_MS = greetingUploadQuery.shape.durationMs.minValue ?? 500;
/** How often the clock on screen moves. */
const TICK_MS = 250;

export function useGreetingRecorder(): GreetingRecorder {
  const [phase, setPhase] = useState<RecorderPhase>('idle');
  const [elapsedMs, setElapsedMs] = useState(0);
  const [take, setTake] = useState<Take | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const timers = useRef<{ tick?: ReturnType<typeof setInterval>; limit?: ReturnType<typeof setTimeout> }>({});
  const takeUrl = useRef<string | null>(null);
  const mounted = useRef(true);

  const release = useCallback(() => {
    clearInterval(timers.current.tick);
    clearTimeout(timers.current.limit);
    timers.current = {};
    for (const track of stream.current?.getTracks() ?? []) track.stop();
    stream.current = null;
  }, []);

  const dropTake = useCallback(() => {
    if (takeUrl.current) URL.revokeObjectURL(takeUrl.current);
    takeUrl.current = null;
    setTake(null);
  }, []);

  const stop = useCallback(() => {
    if (recorder.current?.state === 'recording') recorder.current.stop();
  }, []);

  const start = useCallback(async () => {
    setProblem(null);
    setNotice(null);
    const type = pickGreetingType();
    if (!type || !navigator.mediaDevices?.getUserMedia) {
      setProblem('This browser cannot record audio. Try a current version of Chrome, Edge, Firefox or Safari.');
      return;
    }
    dropTake();
    setPhase('asking');
    let media: MediaStream;
    try {
      media = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
    } catch (e) {
      if (!mounted.current) return;
      setPhase('idle');
      setProblem(microphoneProblem(e));
      return;
    }
    if (!mounted.current) {
      for (const track of media.getTracks()) track.stop();
      return;
    }
    stream.current = media;
    const chunks: Blob[] = [];
    let startedAt = 0;
    let byLimit = false;
    const rec = new MediaRecorder(media, { mimeType: type });
    recorder.current = rec;
    rec.ondataavailable = (e) => {
      if (e.data.size > 0) chunks.push(e.data);
    };
    rec.onstop = () => {
      const durationMs = Math.min(Date.now() - startedAt, MAX_MS);
      release();
      recorder.current = null;
      if (!mounted.current) return;
      if (durationMs < MIN_MS || chunks.length === 0) {
        setPhase('idle');
        setProblem('That was too short to be a greeting. Record again and speak after you press Record.');
        return;
      }
      const blob = new Blob(chunks, { type });
      const url = URL.createObjectURL(blob);
      takeUrl.current = url;
      setTake({ blob, type, url, durationMs });
      setPhase('recorded');
      if (byLimit) setNotice(`Recording stopped at the ${GREETING_MAX_SECONDS}-second limit.`);
    };
    rec.onerror = () => {
      release();
      recorder.current = null;
      if (!mounted.current) return;
      setPhase('idle');
      setProblem('Recording stopped because of a problem with the microphone. Try again.');
    };
    rec.start(1000);
    startedAt = Date.now();
    setElapsedMs(0);
    setPhase('recording');
    timers.current.tick = setInterval(() => setElapsedMs(Math.min(Date.now() - startedAt, MAX_MS)), TICK_MS);
    timers.current.limit = setTimeout(() => {
      byLimit = true;
      stop();
    }, MAX_MS);
  }, [dropTake, release, stop]);

  const discard = useCallback(() => {
    dropTake();
    setNotice(null);
    setPhase('idle');
  }, [dropTake]);

  // Leaving the screen: stop recording, free the microphone and the take.
  useEffect(
    () => () => {
      mounted.current = false;
      if (recorder.current?.state === 'recording') recorder.current.stop();
      release();
      if (takeUrl.current) URL.revokeObjectURL(takeUrl.current);
    },
    [release],
  );

  return { phase, elapsedMs, take, problem, notice, start: () => void start(), stop, discard };
}
