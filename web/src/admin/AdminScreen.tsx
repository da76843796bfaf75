import { EmptyState, Screen } from '../app/Screen';

/** The Business settings screen. */
export function AdminScreen() {
  return (
    <Screen title="Business settings">
      <EmptyState>Users, numbers, extensions, licences and limits for your business will be managed here.</EmptyState>
    </Screen>
  );
}
