import { LocationProvider, Route, Router } from 'preact-iso';
import { AdminScreen } from '../admin/AdminScreen';
import { ContactsScreen } from '../contacts/ContactsScreen';
import { DialerScreen } from '../dialer/DialerScreen';
import { HistoryScreen } from '../history/HistoryScreen';
import { MessagesScreen } from '../messages/MessagesScreen';
import { SettingsScreen } from '../settings/SettingsScreen';
import { VoicemailScreen } from '../voicemail/VoicemailScreen';
import { Layout } from './Layout';
import { NotFound } from './NotFound';

/** The app: one layout, one route per screen. */
export function App() {
  return (
    <LocationProvider>
      <Layout>
        <Router>
          <Route path="/" component={DialerScreen} />
          <Route path="/contacts" component={ContactsScreen} />
          <Route path="/history" component={HistoryScreen} />
          <Route path="/voicemail" component={VoicemailScreen} />
          <Route path="/messages" component={MessagesScreen} />
          <Route path="/settings" component={SettingsScreen} />
          <Route path="/admin" component={AdminScreen} />
          <Route default component={NotFound} />
        </Router>
      </Layout>
    </LocationProvider>
  );
}
