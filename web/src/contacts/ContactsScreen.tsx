import { EmptyState, Screen } from '../app/Screen';

/** The Contacts screen. */
export function ContactsScreen() {
  return (
    <Screen title="Contacts">
      <EmptyState>No contacts yet. Add one, or import them from your phone or a vCard or CSV file.</EmptyState>
    </Screen>
  );
}
