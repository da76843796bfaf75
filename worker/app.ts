import { Hono } from 'hono';
import { healthRoutes } from './health/routes';
import type { AppEnv } from './platform/context';
import { onError, problemResponse } from './platform/errors';
import { requestId, secureHeaders } from './platform/middleware';
import { problems } from './platform/problem';

/** The Worker's HTTP app: thin router, one folder per feature. */
export const app = new Hono<AppEnv>();

app.use('*', requestId, secureHeaders);
app.onError(onError);

app.route('/api/health', healthRoutes);

// Unknown API paths are problems, never the SPA's index.html.
app.all('/api/*', (c) => problemResponse(c, problems.notFound('API route')));

// Outside /api the static assets answer first; this is reached only where
// asset routing is skipped (tests) or for a request the assets do not match.
app.all('*', (c) => c.env.ASSETS.fetch(c.req.raw));
