import { signal } from '@preact/signals';
import type { Feature, Features } from '../../../shared/admin-limits';
import type { LiveEvent } from '../../../shared/live-protocol';
import { api } from '../api/client';

/**
 * What the signed-in user's seat lets them use (`GET /api/me/features`);
 * undefined until first read. Screens hide what is off; the server refuses
 * it anyway. Lives here, beside the admin page that changes it, until the
 * features that use it move it somewhere shared.
 */
export const myFeatures = signal<Features | undefined>(undefined);

/** Reads the user's features again (at start, and on a `licence_changed` live event). */
export async function loadMyFeatures(): Promise<void> {
  try {
    myFeatures.value = await api.get<Features>('/api/me/features');
  } catch {
    // Offline or signed out: keep what we knew; the server still enforces the licence.
  }
}

/** For the live channel's event handler: a licence change is read at once, so what was turned off disappears. */
export function onLicenceEvent(event: LiveEvent): void {
  if (event.kind === 'licence_changed') void loadMyFeatures();
}

/** Whether to show a feature: until the features are known, show it (the server has the last word). */
export function featureShown(feature: Feature): boolean {
  return myFeatures.value?.[feature] ?? true;
}
