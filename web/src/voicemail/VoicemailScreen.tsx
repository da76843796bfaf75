import { EmptyState, Screen } from '../app/Screen';

/** The Voicemail screen. */
export function VoicemailScreen() {
  return (
    <Screen title="Voicemail">
      <EmptyState>No voicemail. Messages callers leave for you will appear here.</EmptyState>
    </Screen>
  );
}
