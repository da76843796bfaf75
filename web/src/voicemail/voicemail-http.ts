/** The voicemail API as the PWA calls it (see shared/voicemail-api.ts for the contract). */
import { isProblem } from '../../../shared/problem';
import type { VOICEMAIL_API as ContractPath, GreetingInfo, VoicemailInbox } from '../../../shared/voicemail-api';
import { ApiError, api, networkProblem } from '../api/client';

/**
 * The contract's path, typed by it but not imported from it: this module is
 * in the first bundle (the unheard count), the contract's zod schemas are not.
 */
const VOICEMAIL_API: typeof ContractPath = '/api/voicemail';

/** How long a greeting upload may take: a minute of audio on a slow uplink. */
const UPLOAD_TIMEOUT_MS = 60_000;

const messagePath = (id: string) => `${VOICEMAIL_API}/${encodeURIComponent(id)}`;

export const getInbox = () => api.get<VoicemailInbox>(VOICEMAIL_API);
export const markHeard = (id: string, heard: boolean) => api.patch<unknown>(messagePath(id), { heard });
export const deleteMessage = (id: string) => api.del(messagePath(id));
export const getGreeting = () => api.get<GreetingInfo>(`${VOICEMAIL_API}/greeting`);
export const resetGreeting = () => api.del<GreetingInfo>(`${VOICEMAIL_API}/greeting`);

/**
 * Uploads a recorded greeting. The API client speaks JSON only, and this
 * body is audio, so the request is made here; failures still throw
 * {@link ApiError} with the server's problem, like every other call.
 */
export async function uploadGreeting(audio: Blob, contentType: string, durationMs: number): Promise<GreetingInfo> {
  let res: Response;
  try {
    res = await fetch(`${VOICEMAIL_API}/greeting?durationMs=${Math.round(durationMs)}`, {
      method: 'PUT',
      headers: { 'Content-Type': contentType, Accept: 'application/json, application/problem+json' },
      body: audio,
      credentials: 'same-origin',
      signal: 'timeout' in AbortSignal ? AbortSignal.timeout(UPLOAD_TIMEOUT_MS) : undefined,
    });
  } catch (e) {
    throw new ApiError(networkProblem(e instanceof DOMException && e.name === 'TimeoutError'), true);
  }
  const parsed: unknown = await res.json().catch(() => undefined);
  if (res.ok) return parsed as GreetingInfo;
  throw new ApiError(
    isProblem(parsed)
      ? parsed
      : {
          type: 'about:blank',
          code: 'http_error',
          title: 'The greeting was not saved',
          status: res.status,
          detail: `Softphone answered with an error (${res.status}). Try again in a moment.`,
        },
  );
}
