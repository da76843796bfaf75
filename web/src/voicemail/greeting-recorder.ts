/**
 * Recording a greeting with the browser's MediaRecorder: which audio type to
 * ask for, and what to tell the person when the microphone cannot be used.
 */
import { GREETING_CONTENT_TYPES } from '../../../shared/voicemail-api';

/** The first greeting type the server accepts that this browser records (WebM in Chromium and Firefox, MP4 in Safari); null when none. */
export function pickGreetingType(): (typeof GREETING_CONTENT_TYPES)[number] | null {
  if (typeof MediaRecorder === 'undefined') return null;
  return GREETING_CONTENT_TYPES.find((type) => MediaRecorder.isTypeSupported(type)) ?? null;
}

/** Whether this browser can record a greeting at all. */
export function canRecord(): boolean {
  return typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.getUserMedia) && pickGreetingType() !== null;
}

/** Words for a getUserMedia failure. */
export function microphoneProblem(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return 'Softphone is not allowed to use your microphone. Allow the microphone for this site in your browser’s settings, then try again.';
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No microphone was found. Connect one, then try again.';
  if (name === 'NotReadableError')
    return 'Your microphone is in use by another app, or could not be started. Close the other app, then try again.';
  return 'The microphone could not be started. Try again.';
}
