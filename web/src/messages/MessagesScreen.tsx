import { EmptyState, Screen } from '../app/Screen';

/** The Messages screen. */
export function MessagesScreen() {
  return (
    <Screen title="Messages">
      <EmptyState>No conversations yet. Texts you send and receive on your business number will appear here.</EmptyState>
    </Screen>
  );
}
