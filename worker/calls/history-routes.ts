import { Hono } from 'hono';
import { historyQuery, seenRequest } from '../../shared/calls-api';
import { requireSession } from '../auth/middleware';
import type { AppEnv } from '../platform/context';
import { jsonBody, queryParams } from '../platform/validate';
import { decodeCursor } from './cursor';
import { historyPage, markSeen, unseenMissed } from './history';

const owner = (auth: AppEnv['Variables']['auth']) => ({ businessId: auth.businessId, userId: auth.userId });

/** The signed-in user's own calls (`/api/calls`): history, and the missed-call badge. */
export const callHistoryRoutes = new Hono<AppEnv>()
  .use(requireSession)
  .get('/', async (c) => {
    const query = queryParams(c, historyQuery);
    const page = await historyPage(c.env.DB, owner(c.get('auth')), {
      filter: query.filter,
      after: decodeCursor(query.cursor),
      limit: query.limit,
    });
    c.header('Cache-Control', 'private, no-store');
    return c.json(page);
  })
  .get('/unseen-missed', async (c) => {
    c.header('Cache-Control', 'private, no-store');
    return c.json({ count: await unseenMissed(c.env.DB, owner(c.get('auth'))) });
  })
  .post('/seen', async (c) => {
    const body = await jsonBody(c, seenRequest);
    await markSeen(c.env.DB, owner(c.get('auth')), Math.min(body.through ?? Date.now(), Date.now()));
    return c.json({ count: await unseenMissed(c.env.DB, owner(c.get('auth'))) });
  });
