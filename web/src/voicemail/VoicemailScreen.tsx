import { featureOff } from '../admin/my-features';
import { Screen } from '../app/Screen';
import { GreetingSection } from './GreetingSection';
import { InboxSection } from './InboxSection';
import { useInbox } from './use-inbox';

/** The Voicemail screen: the messages callers left, and the greeting they hear. */
export function VoicemailScreen() {
  return <Screen title="Voicemail">{featureOff('voicemail') ? <NotInSeat /> : <Voicemail />}</Screen>;
}

function Voicemail() {
  const inbox = useInbox();
  // The server refused: the seat changed since the features were read.
  if (inbox.status === 'off') return <NotInSeat />;
  return (
    <>
      <InboxSection inbox={inbox} />
      <GreetingSection />
    </>
  );
}

/** A seat without voicemail: say so, and ask nothing of the server. */
function NotInSeat() {
  return (
    <div class="empty voicemail-off">
      <p>Voicemail is not part of your seat, so callers cannot leave you messages.</p>
      <p class="muted">Ask your admin if you need it.</p>
    </div>
  );
}
