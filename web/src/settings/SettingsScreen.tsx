import { EmptyState, Screen } from '../app/Screen';

/** The Settings screen. */
export function SettingsScreen() {
  return (
    <Screen title="Settings">
      <EmptyState>Your profile, devices, do-not-disturb and greeting will be set here.</EmptyState>
    </Screen>
  );
}
