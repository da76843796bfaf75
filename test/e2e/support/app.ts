import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Signs a browser context in through the API (the cookie lands in the context's jar). */
export async function signInAs(context: BrowserContext, appUrl: string, email: string, password: string): Promise<void> {
  const res = await context.request.post(`${appUrl}/api/auth/signin`, { data: { email, password }, headers: { Origin: appUrl } });
  expect(res.status(), await res.text()).toBe(200);
}

/** The newest dev-outbox message to a recipient, waiting for it to arrive (emails leave after the response). */
export async function outboxMessage(appUrl: string, recipient: string, after = 0): Promise<string> {
  for (let i = 0; i < 60; i++) {
    const res = await fetch(`${appUrl}/api/dev/outbox?recipient=${encodeURIComponent(recipient)}`);
    const { messages } = (await res.json()) as { messages: Array<{ body: string }> };
    if (messages.length > after && messages[0]) return messages[0].body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no message to ${recipient}`);
}

/** The level-1 heading's text, once the screen has rendered. */
export async function heading(page: Page): Promise<string> {
  const h1 = page.getByRole('heading', { level: 1 });
  await h1.waitFor();
  return (await h1.textContent()) ?? '';
}
