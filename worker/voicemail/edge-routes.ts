import { Hono } from 'hono';
import { edgeVoicemailUpload, VOICEMAIL_MAX_MESSAGE_BYTES } from '../../shared/voicemail-api';
import { requireEdgeSecret } from '../edge/edge-auth';
import { publishLiveEvent } from '../live/publish';
import type { AppEnv } from '../platform/context';
import { queryParams } from '../platform/validate';
import { deleteAudio, newAudioKey, storeAudio } from './audio-store';
import { greetingEtag, greetingForEdge } from './greetings';
import { noGreeting, noMailbox } from './problems';
import { audioResponse } from './range';
import { callerOf, existingMessage, insertMessage, mailboxOwner } from './receive';

/** The types the edge's voicemail service records messages in. */
export const MESSAGE_CONTENT_TYPES = ['audio/webm', 'audio/ogg'] as const;

/**
 * The media edge's voicemail service (`/api/edge/voicemail`, bearer
 * EDGE_API_SECRET): it leaves messages and fetches greetings. See
 * docs/voicemail.md for the order of writes and the idempotency rules.
 */
export const edgeVoicemailRoutes = new Hono<AppEnv>()
  .use(requireEdgeSecret)
  .post('/messages', async (c) => {
    const upload = queryParams(c, edgeVoicemailUpload);
    const db = c.env.DB;
    const owner = await mailboxOwner(db, upload.userId);
    if (!owner) throw noMailbox();
    c.header('Cache-Control', 'no-store');

    // A retry of an upload that did arrive: the same id, and the body is not read, so no second object.
    const known = await existingMessage(db, owner, upload.callId);
    if (known) return c.json({ id: known }, 200);

    const caller = await callerOf(db, owner, upload.from);
    // R2 first, then the row: a row never points at audio that is not there.
    const audio = await storeAudio(c.env.AUDIO, c.req.raw, {
      key: newAudioKey('messages'),
      maxBytes: VOICEMAIL_MAX_MESSAGE_BYTES,
      accepted: MESSAGE_CONTENT_TYPES,
    });
    let id: string | null;
    try {
      id = await insertMessage(db, owner, upload, caller, audio);
    } catch (err) {
      // Nothing half-written: audio without its row could never be found by the owner or by retention.
      await deleteAudio(c.env.AUDIO, [audio.key]);
      throw err;
    }
    if (!id) {
      // A concurrent upload of the same call won the insert: keep its audio, drop ours.
      await deleteAudio(c.env.AUDIO, [audio.key]);
      const winner = await existingMessage(db, owner, upload.callId);
      if (!winner) throw new Error('voicemail insert conflicted but no message exists');
      return c.json({ id: winner }, 200);
    }

    const log = c.get('log');
    c.executionCtx.waitUntil(
      publishLiveEvent(
        c.env,
        owner.businessId,
        // Stable id: a retried publish (or upload) never shows the message twice.
        {
          kind: 'new_voicemail',
          id: `new_voicemail:${id}`,
          voicemailId: id,
          from: (caller.fromNumber ?? caller.fromUserId)?.slice(0, 64) ?? null,
        },
        { userId: owner.userId },
      ).catch((err: unknown) => log('warn', 'new_voicemail not published', { businessId: owner.businessId, error: String(err) })),
    );
    c.header('Location', `/api/voicemail/${id}`);
    return c.json({ id }, 201);
  })
  .get('/greetings/:userId', async (c) => {
    const greeting = await greetingForEdge(c.env.DB, c.req.param('userId'));
    if (!greeting) throw noGreeting();
    const etag = greetingEtag(greeting);
    // The edge caches greetings: an unchanged one costs no audio.
    if (c.req.header('If-None-Match') === etag) {
      return new Response(null, { status: 304, headers: { ETag: etag, 'Cache-Control': 'no-cache' } });
    }
    const res = await audioResponse(c, greeting, { cacheControl: 'no-cache', etag });
    // Audio gone from R2 under a live row: the caller still deserves a greeting, the default one.
    if (res.status === 404) throw noGreeting();
    return res;
  });
