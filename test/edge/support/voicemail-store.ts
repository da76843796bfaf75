/** The voicemail messages the test Worker stored: rows in its local D1, audio in its local R2. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpeg } from '../../../edge/voicemail/ffmpeg';
import { delay } from '../../../scripts/lib/edge-process';
import { readWavSamples } from '../../../scripts/lib/edge-tone';
import { wrangler } from '../../../scripts/lib/wrangler';
import { sql, sqlValue, state } from './d1';

/** A `voicemail_messages` row. */
export interface StoredMessage {
  id: string;
  user_id: string;
  from_number: string | null;
  from_user_id: string | null;
  duration_ms: number;
  received_at: number;
  r2_key: string;
  content_type: string;
  size: number;
}

/** Waits for the message a call left, as the Worker stored it. */
export async function storedMessage(callId: string, timeoutMs = 15_000): Promise<StoredMessage> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await sql<StoredMessage>(`SELECT * FROM voicemail_messages WHERE call_id = ${sqlValue(callId)}`);
    if (row) return row;
    await delay(300);
  }
  throw new Error(`no message was stored for ${callId}`);
}

/** The message's audio from the Worker's R2, decoded to mono 8 kHz samples. */
export async function storedAudio(message: StoredMessage): Promise<{ rate: number; samples: Int16Array }> {
  const dir = mkdtempSync(join(tmpdir(), 'softphone-vm-audio-'));
  try {
    const file = join(dir, `${message.id}.audio`);
    await wrangler(['r2', 'object', 'get', `softphone-audio/${message.r2_key}`, '--local', '--persist-to', state, '--file', file]);
    return readWavSamples(await ffmpeg(['-i', file, '-ac', '1', '-ar', '8000', '-f', 'wav', 'pipe:1']));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Turns do-not-disturb on or off for a user, straight in D1 (the Worker then sends their calls to voicemail). */
export async function setDnd(userId: string, on: boolean): Promise<void> {
  await sql(`UPDATE users SET dnd = ${on ? 1 : 0}, dnd_changed_at = ${Date.now()} WHERE id = ${sqlValue(userId)}`);
}
