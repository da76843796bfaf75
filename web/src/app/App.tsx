import { useEffect, useLayoutEffect } from 'preact/hooks';
import { LocationProvider, lazy, Route, Router, useLocation } from 'preact-iso';
import { followMyFeatures } from '../admin/my-features';
import { loadMe, me, meUnreachable } from '../auth/session';
import { DialerScreen } from '../dialer/DialerScreen';
import { followMissedCalls } from '../history/missed-badge';
import { startLiveSession } from '../live/session';
import { followAlerts } from '../voicemail/alerts';
import { followVoicemail } from '../voicemail/unheard';
import { afterLineSettles } from './after-line';
import { Layout } from './Layout';
import { NotFound } from './NotFound';
import { isPublicPath, isSignInPath, safeNext, signInUrl } from './routes';

// The dialer, the first screen of a signed-in user, is in the main bundle;
// every other screen is fetched when first opened (and precached by the
// service worker, so that works offline too).
const SignInScreen = lazy(() => import('../signin/SignInScreen').then((m) => m.SignInScreen));
const ContactsScreen = lazy(() => import('../contacts/ContactsScreen').then((m) => m.ContactsScreen));
const ContactDetailScreen = lazy(() => import('../contacts/ContactDetailScreen').then((m) => m.ContactDetailScreen));
const ContactFormScreen = lazy(() => import('../contacts/ContactFormScreen').then((m) => m.ContactFormScreen));
const ContactImportScreen = lazy(() => import('../contacts/ImportScreen').then((m) => m.ImportScreen));
const ContactExportScreen = lazy(() => import('../contacts/ExportScreen').then((m) => m.ExportScreen));
const HistoryScreen = lazy(() => import('../history/HistoryScreen').then((m) => m.HistoryScreen));
const VoicemailScreen = lazy(() => import('../voicemail/VoicemailScreen').then((m) => m.VoicemailScreen));
const MessagesScreen = lazy(() => import('../messages/MessagesScreen').then((m) => m.MessagesScreen));
const SettingsScreen = lazy(() => import('../settings/SettingsScreen').then((m) => m.SettingsScreen));
const AdminScreen = lazy(() => import('../admin/AdminScreen').then((m) => m.AdminScreen));
const PhoneSignInScreen = lazy(() => import('../phone-signin/PhoneSignInScreen').then((m) => m.PhoneSignInScreen));
const SignUpScreen = lazy(() => import('../signup/SignUpScreen').then((m) => m.SignUpScreen));
const SignUpConfirmScreen = lazy(() => import('../signup/SignUpConfirmScreen').then((m) => m.SignUpConfirmScreen));
const ForgotPasswordScreen = lazy(() => import('../password/ForgotPasswordScreen').then((m) => m.ForgotPasswordScreen));
const ResetPasswordScreen = lazy(() => import('../password/ResetPasswordScreen').then((m) => m.ResetPasswordScreen));
const InviteScreen = lazy(() => import('../invite/InviteScreen').then((m) => m.InviteScreen));

/** The app: one layout, one route per screen, behind the sign-in guard. */
export function App() {
  useEffect(() => {
    // Nobody remembered on this device: sign-in is the likely next screen, fetch it alongside /api/me.
    const remembered = me.value !== undefined;
    if (!remembered) {
      void SignInScreen.preload();
      void loadMe();
    }
    // Back online: check the session again (it may have ended meanwhile).
    const recheck = () => void loadMe();
    window.addEventListener('online', recheck);
    let stopLive: (() => void) | undefined;
    let stopAlerts: (() => void) | undefined;
    let stopFeatures: (() => void) | undefined;
    // Someone signed in: their line starts first (PhoneMount, as soon as they are known); the rest
    // follows once it is registered (or failed), at most 2 s later. Nobody signed in: at once.
    // For someone remembered here, the credentials request re-checks the session meanwhile.
    const cancel = afterLineSettles(
      () => {
        if (remembered) void loadMe();
        // The live channel (presence, do-not-disturb, events) runs while someone is signed in.
        stopLive = startLiveSession();
        // Contacts sync (and wipe on sign-out) follows the session; its code loads after first paint.
        void import('../storage/contacts-sync').then((m) => m.followSession());
        // The missed-call badge (and wiping cached history on sign-out) follows the session too.
        followMissedCalls();
        // So do the seat's features (read again on each licence change: the navigation and the line follow them),
        // first, as a new user's count must not read the last user's features; then the unheard-voicemail
        // badge, notifications and the app icon's count.
        stopFeatures = followMyFeatures();
        followVoicemail();
        stopAlerts = followAlerts();
      },
      2000,
      { orWhen: () => me.value === null },
    );
    return () => {
      cancel();
      window.removeEventListener('online', recheck);
      stopLive?.();
      stopAlerts?.();
      stopFeatures?.();
    };
  }, []);
  return (
    <LocationProvider>
      <Layout>
        <Guard />
      </Layout>
    </LocationProvider>
  );
}

/**
 * Who may see what: public screens always; everything else only signed in
 * (otherwise to sign-in, remembering the way back); sign-in itself only
 * signed out (otherwise on to where the user was going).
 */
function Guard() {
  const { path, url, query } = useLocation();
  const user = me.value;
  const open = isPublicPath(path) && !isSignInPath(path);
  if (!open && user === undefined) return meUnreachable.value ? <Unreachable /> : <Loading />;
  if (isSignInPath(path) && user) return <Redirect to={safeNext(query.next)} />;
  if (!isPublicPath(path) && !user) return <Redirect to={signInUrl(url)} />;
  return <Routes />;
}

function Routes() {
  return (
    <Router>
      <Route path="/" component={DialerScreen} />
      <Route path="/contacts" component={ContactsScreen} />
      <Route path="/contacts/new" component={ContactFormScreen} />
      <Route path="/contacts/import" component={ContactImportScreen} />
      <Route path="/contacts/export" component={ContactExportScreen} />
      <Route path="/contacts/:id" component={ContactDetailScreen} />
      <Route path="/contacts/:id/edit" component={ContactFormScreen} />
      <Route path="/history" component={HistoryScreen} />
      <Route path="/voicemail" component={VoicemailScreen} />
      <Route path="/messages" component={MessagesScreen} />
      <Route path="/settings" component={SettingsScreen} />
      <Route path="/admin" component={AdminScreen} />
      <Route path="/signin" component={SignInScreen} />
      <Route path="/signin/phone" component={PhoneSignInScreen} />
      <Route path="/signup" component={SignUpScreen} />
      <Route path="/signup/confirm" component={SignUpConfirmScreen} />
      <Route path="/forgot-password" component={ForgotPasswordScreen} />
      <Route path="/reset-password" component={ResetPasswordScreen} />
      <Route path="/invite" component={InviteScreen} />
      <Route default component={NotFound} />
    </Router>
  );
}

/** Replaces the current history entry (the guarded URL is not worth going back to). */
function Redirect({ to }: { to: string }) {
  const { route } = useLocation();
  useLayoutEffect(() => route(to, true), [to]);
  return null;
}

function Loading() {
  return (
    <p class="loading" role="status">
      Loading…
    </p>
  );
}

function Unreachable() {
  return (
    <div class="empty" role="alert">
      <p>Softphone could not be reached, so it cannot tell whether you are signed in.</p>
      <button type="button" onClick={() => void loadMe()}>
        Try again
      </button>
    </div>
  );
}
