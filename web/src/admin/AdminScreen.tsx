import { useState } from 'preact/hooks';
import { Screen } from '../app/Screen';
import { isAdmin, me } from '../auth/session';
import { AlertsSection } from './AlertsSection';
import { InvitationsSection } from './InvitationsSection';
import { InviteSection } from './InviteSection';

/** The admin's page: what needs attention, then inviting people and the invitations sent. */
export function AdminScreen() {
  const user = me.value;
  // A new invitation: list the invitations again.
  const [invitationsVersion, setInvitationsVersion] = useState(0);
  if (!user) return null;
  if (!isAdmin(user)) {
    // The API would answer 403 anyway: ask it nothing.
    return (
      <Screen title="Business settings">
        <p class="notice">Only admins of your business can see this page.</p>
      </Screen>
    );
  }
  return (
    <Screen title="Business settings">
      <AlertsSection />
      <InviteSection onInvited={() => setInvitationsVersion((v) => v + 1)} />
      <InvitationsSection version={invitationsVersion} />
    </Screen>
  );
}
