import { EmptyState, Screen } from '../app/Screen';

/** The History screen. */
export function HistoryScreen() {
  return (
    <Screen title="History">
      <EmptyState>No calls yet. Calls you make and receive will be listed here.</EmptyState>
    </Screen>
  );
}
