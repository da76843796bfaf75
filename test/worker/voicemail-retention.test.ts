import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { maintenanceJobs } from '../../worker/maintenance/jobs';
import { VOICEMAIL_AFTER_TERMINATION_MS } from '../../worker/voicemail/retention-jobs';
import { seedBusiness } from './support/api';
import { audioBytes, keyOfMessage, leaveMessage, putGreeting, voicemailBusiness } from './support/voicemail';

const DAY = 86_400_000;

/** Runs one of the daily jobs by name, as the cron does (so this also proves it is registered). */
async function runJob(name: string, now: number): Promise<number> {
  const job = maintenanceJobs.find((j) => j.name === name);
  if (!job) throw new Error(`no job ${name}`);
  return job.run(env, now);
}

const greetingKey = (userId: string) =>
  env.DB.prepare('SELECT r2_key FROM voicemail_greetings WHERE user_id = ?').bind(userId).first<string>('r2_key');

/** Terminates a user as the admin API would: status and the date that starts the retention clock. */
async function terminateUser(userId: string, at: number) {
  await env.DB.prepare("UPDATE users SET status = 'terminated', terminated_at = ? WHERE id = ?").bind(at, userId).run();
}

describe('voicemail retention (PRODUCT.md: a month after termination)', () => {
  it('keeps a terminated user’s messages and greeting for a month, then deletes the rows and the audio', async () => {
    const b = await voicemailBusiness();
    const messages = [await leaveMessage(b.user.id), await leaveMessage(b.user.id)];
    const kept = await leaveMessage(b.admin.id);
    await putGreeting(b.owner, audioBytes(500), 2000);
    await putGreeting(b.colleague, audioBytes(600), 2000);
    const messageKeys = (await Promise.all(messages.map(keyOfMessage))) as string[];
    const greeting = (await greetingKey(b.user.id)) as string;

    const terminatedAt = Date.now() - 10 * DAY;
    await terminateUser(b.user.id, terminatedAt);

    // Within the month: nothing goes.
    const early = terminatedAt + VOICEMAIL_AFTER_TERMINATION_MS - 1;
    expect(await runJob('voicemail_messages_after_termination', early)).toBe(0);
    expect(await runJob('voicemail_greetings_after_termination', early)).toBe(0);
    expect(await keyOfMessage(messages[0] as string)).not.toBeNull();

    const late = terminatedAt + VOICEMAIL_AFTER_TERMINATION_MS + 1;
    expect(await runJob('voicemail_messages_after_termination', late)).toBe(2);
    expect(await runJob('voicemail_greetings_after_termination', late)).toBe(1);
    for (const id of messages) expect(await keyOfMessage(id)).toBeNull();
    for (const key of [...messageKeys, greeting]) expect(await env.AUDIO.head(key)).toBeNull();
    expect(await greetingKey(b.user.id)).toBeNull();

    // The colleague, still active, keeps everything.
    const keptKey = (await keyOfMessage(kept)) as string;
    expect(await env.AUDIO.head(keptKey)).not.toBeNull();
    expect(await env.AUDIO.head((await greetingKey(b.admin.id)) as string)).not.toBeNull();

    // Nothing left to do: a second run deletes nothing.
    expect(await runJob('voicemail_messages_after_termination', late)).toBe(0);
  });

  it('a terminated business’s users all go a month after the business ended', async () => {
    const b = await voicemailBusiness();
    const other = await seedBusiness({ licensed: true });
    const ids = [await leaveMessage(b.user.id), await leaveMessage(b.admin.id)];
    const survivor = await leaveMessage(other.user.id);
    const terminatedAt = Date.now() - 40 * DAY;
    await env.DB.prepare("UPDATE businesses SET status = 'terminated', terminated_at = ? WHERE id = ?")
      .bind(terminatedAt, b.business.id)
      .run();

    expect(await runJob('voicemail_messages_after_termination', Date.now())).toBeGreaterThanOrEqual(2);
    for (const id of ids) expect(await keyOfMessage(id)).toBeNull();
    expect(await keyOfMessage(survivor)).not.toBeNull();
  });
});
