/**
 * Whether the user's seat includes voicemail. The screen and the badge ask
 * this before any voicemail request, so a seat without it makes none.
 */
import { loadMyFeatures, myFeatures } from '../admin/my-features';

let loading: Promise<void> | undefined;

/**
 * True unless the seat is known to lack voicemail; reads the features first
 * when they are not known yet. Still unknown (offline) counts as allowed:
 * the server has the last word and refuses with `feature_not_licensed`.
 */
export async function voicemailAllowed(): Promise<boolean> {
  if (myFeatures.value === undefined) {
    loading ??= loadMyFeatures().finally(() => {
      loading = undefined;
    });
    await loading;
  }
  return myFeatures.value?.voicemail ?? true;
}

/** The seat is known to lack voicemail (the screen explains, the nav hides the link). */
export function voicemailOff(): boolean {
  return myFeatures.value?.voicemail === false;
}
