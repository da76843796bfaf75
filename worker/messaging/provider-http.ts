import type { Logger } from '../platform/log';
import { Problem } from '../platform/problem';

/** Tuning for calls to a provider; the defaults suit a person waiting on the answer. */
export interface ProviderCallOptions {
  /** Per attempt, in milliseconds. */
  timeoutMs?: number;
  /** Pause before the one retry, in milliseconds. */
  retryDelayMs?: number;
  /** Where failures are logged; pass the request's logger to carry its request id. */
  log?: Logger;
}

/** Which adapter is calling: named in log lines, and the problem code it fails with. */
export interface ProviderIdentity {
  name: 'twilio' | 'postmark';
  problemCode: 'sms_send_failed' | 'email_send_failed';
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRY_DELAY_MS = 250;

const consoleLog: Logger = (level, message, fields) => console.error(JSON.stringify({ level, message, ...fields }));

/** The one problem a client sees for any provider failure: nothing of the provider's answer leaks. */
export function sendFailed(provider: ProviderIdentity, options: ProviderCallOptions, fields: Record<string, unknown>): Problem {
  (options.log ?? consoleLog)('error', 'message send failed', { provider: provider.name, ...fields });
  return provider.problemCode === 'sms_send_failed'
    ? new Problem(
        502,
        'sms_send_failed',
        'The text message could not be sent',
        'The SMS provider did not accept it. Try again in a moment.',
      )
    : new Problem(502, 'email_send_failed', 'The email could not be sent', 'The email provider did not accept it. Try again in a moment.');
}

/**
 * POSTs to a provider and returns its final answer, retrying once after a
 * network error or a 5xx (both mean the provider did not take the message). A
 * 4xx is final: sending the same request again would be refused again. A
 * timeout is final too: the provider may have taken the message, and a second
 * wait would double what the person waits.
 */
export async function postWithRetry(
  provider: ProviderIdentity,
  url: string,
  init: { headers: Record<string, string>; body: string },
  options: ProviderCallOptions,
): Promise<{ response: Response; attempts: number }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (let attempt = 1; ; attempt++) {
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal });
    } catch (error) {
      if (signal.aborted) throw sendFailed(provider, options, { reason: 'timeout', timeoutMs, attempts: attempt });
      if (attempt < 2) {
        await pause(options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS);
        continue;
      }
      throw sendFailed(provider, options, { reason: 'network', error: String(error), attempts: attempt });
    }
    if (response.status >= 500 && attempt < 2) {
      // An unread body holds the connection open in workerd.
      await response.body?.cancel();
      await pause(options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS);
      continue;
    }
    return { response, attempts: attempt };
  }
}

/** The provider's JSON answer, or undefined when it is not JSON (a proxy's HTML error page). */
export async function readJson(response: Response): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = await response.json();
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Joins a configured API base (with or without a trailing slash) and a path. */
export function apiUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}
