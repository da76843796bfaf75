import { Screen } from '../app/Screen';
import { isAdmin, me } from '../auth/session';
import { AlertsSection } from './AlertsSection';
import { AuditSection } from './AuditSection';
import { CallRecordsSection } from './CallRecordsSection';
import { changed } from './changes';
import { ExtensionsSection } from './ExtensionsSection';
import { InvitationsSection } from './InvitationsSection';
import { InviteSection } from './InviteSection';
import { LicencesSection } from './LicencesSection';
import { NumbersSection } from './NumbersSection';
import { PlanSection } from './PlanSection';
import { RecordingSection } from './RecordingSection';
import { UsersSection } from './UsersSection';

/** The page's sections, for the index at the top (a long page on a phone). */
const SECTIONS = [
  ['admin-users', 'Users'],
  ['admin-invite', 'Invite'],
  ['admin-numbers', 'Numbers'],
  ['admin-extensions', 'Extensions'],
  ['admin-licences', 'Licences'],
  ['admin-plan', 'Plan'],
  ['admin-recording', 'Recording'],
  ['admin-calls', 'Call records'],
  ['admin-audit', 'Change log'],
] as const;

/**
 * The admin's page: what needs attention, then people (users, invitations),
 * numbers, extensions, licences, plan, call recording, call records and the
 * change log.
 * The server checks the role on every request; this page only spares a
 * non-admin the questions.
 */
export function AdminScreen() {
  const user = me.value;
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
      <nav class="admin-index" aria-label="Sections of this page">
        <ul>
          {SECTIONS.map(([id, label]) => (
            <li key={id}>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <UsersSection />
      {/* A new invitation: the invitations and the change log list again. */}
      <InviteSection onInvited={changed} />
      <InvitationsSection />
      <NumbersSection />
      <ExtensionsSection />
      <LicencesSection />
      <PlanSection />
      <RecordingSection />
      <CallRecordsSection />
      <AuditSection />
    </Screen>
  );
}
