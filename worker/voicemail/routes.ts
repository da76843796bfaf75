import { Hono } from 'hono';
import { GREETING_CONTENT_TYPES, GREETING_MAX_BYTES, greetingUploadQuery, voicemailPatch } from '../../shared/voicemail-api';
import { requireFeature } from '../admin/licences';
import { requireSession } from '../auth/middleware';
import type { AppEnv, AuthContext } from '../platform/context';
import { problems } from '../platform/problem';
import { jsonBody, queryParams } from '../platform/validate';
import { deleteAudio, newAudioKey, storeAudio } from './audio-store';
import { deleteGreetingRow, greetingEtag, greetingInfo, greetingOf, saveGreeting } from './greetings';
import { deleteMessageRow, inbox, type Mailbox, messageAudio, messageOf, setHeard } from './messages';
import { audioResponse } from './range';

const mailbox = (auth: AuthContext): Mailbox => ({ businessId: auth.businessId, userId: auth.userId });

/** A message id in the path: anything not shaped like one cannot exist, so it is the same 404 as any unknown id. */
function messageId(id: string): string {
  if (!/^vm_[A-Za-z0-9_-]{1,64}$/.test(id)) throw problems.notFound('message');
  return id;
}

/**
 * The signed-in user's voicemail: their inbox and their greeting. Every
 * query is scoped by business and user, so a colleague's message (or
 * another business's) is simply not found. The greeting's static paths come
 * before `/:id`, which would otherwise take them.
 */
export const voicemailRoutes = new Hono<AppEnv>()
  .use(requireSession, requireFeature('voicemail'))
  .use(async (c, next) => {
    await next();
    // Personal data: never kept by a shared cache.
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'private, no-store');
  })
  .get('/', async (c) => c.json(await inbox(c.env.DB, mailbox(c.get('auth')))))
  .get('/greeting', async (c) => c.json(greetingInfo(await greetingOf(c.env.DB, mailbox(c.get('auth'))))))
  .put('/greeting', async (c) => {
    const box = mailbox(c.get('auth'));
    const { durationMs } = queryParams(c, greetingUploadQuery);
    const audio = await storeAudio(c.env.AUDIO, c.req.raw, {
      key: newAudioKey('greetings'),
      maxBytes: GREETING_MAX_BYTES,
      accepted: GREETING_CONTENT_TYPES,
    });
    let saved: Awaited<ReturnType<typeof saveGreeting>>;
    try {
      saved = await saveGreeting(c.env.DB, box, audio, durationMs);
    } catch (err) {
      await deleteAudio(c.env.AUDIO, [audio.key]);
      throw err;
    }
    // The old recording is nobody's greeting any more.
    if (saved.replacedKey) await deleteAudio(c.env.AUDIO, [saved.replacedKey]);
    return c.json(greetingInfo(saved.greeting));
  })
  .delete('/greeting', async (c) => {
    const box = mailbox(c.get('auth'));
    const greeting = await greetingOf(c.env.DB, box);
    if (greeting) {
      // Audio first: a failure between the two leaves a row to retry with, never audio nobody can find.
      await deleteAudio(c.env.AUDIO, [greeting.key]);
      await deleteGreetingRow(c.env.DB, box, greeting.key);
    }
    return c.json(greetingInfo(null));
  })
  .get('/greeting/audio', async (c) => {
    const greeting = await greetingOf(c.env.DB, mailbox(c.get('auth')));
    if (!greeting) throw problems.notFound('greeting');
    return audioResponse(c, greeting, { cacheControl: 'private, no-cache', etag: greetingEtag(greeting) });
  })
  .get('/:id/audio', async (c) => {
    const id = messageId(c.req.param('id'));
    const audio = await messageAudio(c.env.DB, mailbox(c.get('auth')), id);
    if (!audio) throw problems.notFound('message');
    // A message's audio never changes, so its id is a fine validator.
    return audioResponse(c, audio, { cacheControl: 'private', etag: `"${id}"` });
  })
  .patch('/:id', async (c) => {
    const box = mailbox(c.get('auth'));
    const id = messageId(c.req.param('id'));
    const { heard } = await jsonBody(c, voicemailPatch);
    if (!(await setHeard(c.env.DB, box, id, heard))) throw problems.notFound('message');
    const message = await messageOf(c.env.DB, box, id);
    if (!message) throw problems.notFound('message');
    return c.json(message);
  })
  .delete('/:id', async (c) => {
    const box = mailbox(c.get('auth'));
    const id = messageId(c.req.param('id'));
    const audio = await messageAudio(c.env.DB, box, id);
    if (!audio) throw problems.notFound('message');
    // Audio first: a failure between the two leaves a row to delete again, never audio nobody can find.
    await deleteAudio(c.env.AUDIO, [audio.key]);
    await deleteMessageRow(c.env.DB, box, id);
    return c.body(null, 204);
  });
