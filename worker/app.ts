import { Hono } from 'hono';
import { meFeatureRoutes } from './admin/me-features-routes';
import { adminRoutes } from './admin/routes';
import { alertRoutes } from './alerts/routes';
import { sameOrigin } from './auth/middleware';
import { passwordRoutes } from './auth/password-routes';
import { phoneRoutes } from './auth/phone-routes';
import { sessionRoutes } from './auth/session-routes';
import { signinRoutes } from './auth/signin-routes';
import { signupRoutes } from './auth/signup-routes';
import { adminCallRoutes } from './calls/admin-routes';
import { edgeEventRoutes } from './calls/event-routes';
import { callHistoryRoutes } from './calls/history-routes';
import { contactRoutes } from './contacts/routes';
import { devRoutes } from './dev/routes';
import { edgeRegistrationRoutes } from './edge/registration-routes';
import { edgeRouteRoutes } from './edge/route-routes';
import { healthRoutes } from './health/routes';
import { invitationAdminRoutes } from './invitations/admin-routes';
import { invitationPublicRoutes } from './invitations/public-routes';
import { liveRoutes } from './live/routes';
import { meRoutes } from './me/routes';
import type { AppEnv } from './platform/context';
import { onError, problemResponse } from './platform/errors';
import { requestId, secureHeaders } from './platform/middleware';
import { problems } from './platform/problem';
import { dndRoutes, presenceRoutes } from './presence/routes';
import { edgeRecordingRoutes } from './recordings/upload-routes';
import { sipCredentialRoutes } from './sip/credentials-routes';
import { edgeVoicemailRoutes } from './voicemail/edge-routes';
import { voicemailRoutes } from './voicemail/routes';

/** The Worker's HTTP app: thin router, one folder per feature. */
export const app = new Hono<AppEnv>();

app.use('*', requestId, secureHeaders);
app.use('/api/*', sameOrigin);
app.onError(onError);

app.route('/api/health', healthRoutes);
app.route('/api/auth/signup', signupRoutes);
app.route('/api/auth/signin', signinRoutes);
app.route('/api/auth/phone', phoneRoutes);
app.route('/api/auth', passwordRoutes);
app.route('/api/auth', sessionRoutes);
// Before /api/me, so its own session check is the only one on this path.
app.route('/api/me/dnd', dndRoutes);
app.route('/api/me/features', meFeatureRoutes);
app.route('/api/me', meRoutes);
app.route('/api/contacts', contactRoutes);
app.route('/api/calls', callHistoryRoutes);
app.route('/api/voicemail', voicemailRoutes);
app.route('/api/presence', presenceRoutes);
app.route('/api/live', liveRoutes);
app.route('/api/invitations', invitationPublicRoutes);
app.route('/api/admin/invitations', invitationAdminRoutes);
app.route('/api/admin/alerts', alertRoutes);
app.route('/api/admin/calls', adminCallRoutes);
// After invitations and alerts: its requireAdmin covers every other /api/admin route.
app.route('/api/admin', adminRoutes);
app.route('/api/dev', devRoutes);
app.route('/api/edge', edgeRouteRoutes);
app.route('/api/edge', edgeRegistrationRoutes);
app.route('/api/edge', edgeEventRoutes);
app.route('/api/edge', edgeRecordingRoutes);
app.route('/api/edge/voicemail', edgeVoicemailRoutes);
app.route('/api/sip', sipCredentialRoutes);

// Unknown API paths are problems, never the SPA's index.html.
app.all('/api/*', (c) => problemResponse(c, problems.notFound('API route')));

// Outside /api the static assets answer first; this is reached only where
// asset routing is skipped (tests) or for a request the assets do not match.
app.all('*', (c) => c.env.ASSETS.fetch(c.req.raw));
