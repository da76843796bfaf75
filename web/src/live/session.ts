import { effect, untracked } from '@preact/signals';
import { loadMe, me } from '../auth/session';
import { resetColleagues } from '../presence/colleagues';
import { LiveClient, type LiveClientOptions } from './client';
import { applyServerMessage, liveCursor, liveStatus, resetLive } from './store';

/** The live channel's address on this origin (the CSP's connect-src 'self' covers it). */
export function liveUrl(): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/live`;
}

/** Builds the client for the signed-in user; tests pass their own socket factory. */
export type LiveClientFactory = (options: LiveClientOptions) => LiveClient;

/**
 * Runs the live channel while someone is signed in: started when a user
 * appears (also the one remembered offline), restarted for a different
 * user, stopped and forgotten on sign-out. Returns the disposer.
 */
export function startLiveSession(create: LiveClientFactory = (options) => new LiveClient(options)): () => void {
  let client: LiveClient | undefined;
  let userId: string | undefined;
  const stopClient = () => {
    client?.stop();
    client = undefined;
    // Nothing of one user's business stays in memory for the next one.
    resetLive();
    resetColleagues();
  };
  const dispose = effect(() => {
    const next = me.value?.user.id;
    if (next === userId) return;
    untracked(() => {
      stopClient();
      userId = next;
      if (!next) return;
      client = create({
        url: liveUrl(),
        appVersion: __APP_VERSION__,
        onMessage: applyServerMessage,
        onStatus: (status) => {
          liveStatus.value = status;
          if (status !== 'signed_out') return;
          // The server ended the session: ask who is signed in (a 401 signs out, which stops this).
          // Still the same user after all (a race with a new sign-in): connect again.
          const ended = client;
          void loadMe().then(() => {
            if (client === ended && me.value?.user.id === next) {
              ended?.stop();
              ended?.start();
            }
          });
        },
        // A refused upgrade (401) is invisible to a WebSocket; after a few failures, check the session.
        onFailure: (failures) => {
          if (failures % 3 === 0) void loadMe();
        },
        lastSeq: liveCursor,
      });
      client.start();
    });
  });
  return () => {
    dispose();
    stopClient();
    userId = undefined;
    liveStatus.value = 'stopped';
  };
}
