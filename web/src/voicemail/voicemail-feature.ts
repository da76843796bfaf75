/**
 * Whether the user's seat includes voicemail. The screen and the badge ask
 * this before any voicemail request, so a seat without it makes none.
 */
import { loadMyFeatures, myFeatures } from '../admin/my-features';

/**
 * True unless the seat is known to lack voicemail; reads the features first
 * when they are not known yet (joining a read in flight). Still unknown
 * (offline) counts as allowed: the server has the last word and refuses with
 * `feature_not_licensed`.
 */
export async function voicemailAllowed(): Promise<boolean> {
  if (myFeatures.value === undefined) await loadMyFeatures();
  return myFeatures.value?.voicemail ?? true;
}
