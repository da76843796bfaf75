import { Problem } from '../platform/problem';

/** 413: the audio is larger than the route takes. */
export const audioTooLarge = (maxBytes: number) =>
  new Problem(
    413,
    'audio_too_large',
    'The recording is too large',
    `Send at most ${(maxBytes / (1024 * 1024)).toLocaleString('en-GB')} MB of audio.`,
  );

/** 415: not one of the audio types the route takes. */
export const unsupportedAudio = (accepted: readonly string[]) =>
  new Problem(415, 'unsupported_audio_type', 'This kind of audio is not accepted', `Send the audio as one of: ${accepted.join(', ')}.`);

/** 400: a body with no audio in it. */
export const emptyAudio = () => new Problem(400, 'empty_audio', 'No audio was sent', 'The request body is empty.');

/** 400: the body was not as long as its Content-Length said (a cut connection, or a wrong header). */
export const incompleteAudio = () =>
  new Problem(400, 'incomplete_audio', 'The audio did not arrive whole', 'The body did not match its Content-Length; send it again.');

/** 400: a Content-Length that is not a byte count. */
export const badContentLength = () => new Problem(400, 'bad_content_length', 'Content-Length is not a byte count');

/** 404 for the edge: the mailbox owner is not a user who can receive messages. */
export const noMailbox = () =>
  new Problem(404, 'no_mailbox', 'No such mailbox', 'The user does not exist or their account has ended; the message cannot be kept.');

/** 409 for the edge: the Call-ID already left a message in someone else's mailbox. */
export const callIdUsed = () =>
  new Problem(409, 'call_id_used', 'This call already left a message', 'The Call-ID is already used by a message for another user.');

/** 404 for the edge: the user keeps the default greeting. */
export const noGreeting = () => new Problem(404, 'no_greeting', 'No recorded greeting', 'Play the default greeting.');

/** 416: the Range asks for bytes past the end (sent with `Content-Range: bytes *\/size`). */
export const rangeNotSatisfiable = () =>
  new Problem(416, 'range_not_satisfiable', 'Range not satisfiable', 'The requested bytes are past the end of the audio.');
