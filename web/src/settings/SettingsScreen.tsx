import { useState } from 'preact/hooks';
import { Screen } from '../app/Screen';
import { me } from '../auth/session';
import { NotificationsSection } from '../calling/NotificationsSection';
import { BusinessSection } from './BusinessSection';
import { PasswordSection } from './PasswordSection';
import { ProfileSection } from './ProfileSection';
import { SessionsSection } from './SessionsSection';
import { SignOutSection } from './SignOutSection';

/** The signed-in user's profile, business, devices, password and sign-out. */
export function SettingsScreen() {
  const user = me.value;
  // Changing the password signs out other devices: list them again after.
  const [sessionsVersion, setSessionsVersion] = useState(0);
  if (!user) return null;
  return (
    <Screen title="Settings">
      <ProfileSection me={user} />
      <BusinessSection me={user} />
      <SessionsSection version={sessionsVersion} />
      {/* A number-only account (signed up by text message) has no password to change. */}
      {user.user.email !== null && <PasswordSection email={user.user.email} onChanged={() => setSessionsVersion((v) => v + 1)} />}
      <NotificationsSection />
      <SignOutSection />
    </Screen>
  );
}
