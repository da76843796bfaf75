import { runInDurableObject, SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import {
  EDGE_SIGNATURE_HEADER,
  EDGE_TIMESTAMP_HEADER,
  type EdgeEvent,
  type EdgeEventType,
  edgeSigningKey,
  signEdgeBody,
} from '../../../shared/calls-api';
import type { CallRow } from '../../../worker/calls/call-row';
import type { RouteRequest } from '../../../worker/edge/route-types';
import type { LiveHub } from '../../../worker/live/hub';
import { askRoute } from './edge';

/** One edge event as the agent delivers it (`<Call-ID>#<type>` ids, like Kamailio's). */
export function edgeEvent(callId: string, type: EdgeEventType, at: number, extra: Partial<EdgeEvent> = {}): EdgeEvent {
  return { id: `${callId}#${type}`, type, callId, at, ...extra };
}

/** Delivers events as the edge agent does: signed with the shared secret and the current time, unless told otherwise. */
export async function deliver(
  events: unknown[],
  options: { timestamp?: number; secret?: string; body?: string; signature?: string | null } = {},
): Promise<Response> {
  const body = options.body ?? JSON.stringify({ events });
  const timestamp = String(options.timestamp ?? Date.now());
  const key = await edgeSigningKey(options.secret ?? env.EDGE_API_SECRET, 'sign');
  const signature = options.signature === undefined ? await signEdgeBody(key, timestamp, JSON.stringify({ events })) : options.signature;
  return SELF.fetch('https://app.test/api/edge/events', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      [EDGE_TIMESTAMP_HEADER]: timestamp,
      ...(signature === null ? {} : { [EDGE_SIGNATURE_HEADER]: signature }),
    },
    body,
  });
}

/** Asks for a routing decision with a chosen Call-ID (the call's record is written by it); returns the decision. */
export async function route(callId: string, body: Omit<RouteRequest, 'callId'>) {
  const res = await askRoute({ callId, ...body });
  if (res.status !== 200) throw new Error(`route failed: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

/** The record of a SIP Call-ID, straight from D1. */
export function recordOf(callId: string): Promise<CallRow | null> {
  return env.DB.prepare('SELECT * FROM calls WHERE call_id = ?').bind(callId).first<CallRow>();
}

/** A fresh Call-ID. */
export function newCallId(): string {
  return `${crypto.randomUUID()}@test`;
}

/** The missed_call events a user's devices were sent by their business's hub (waits briefly: they are published after the answer). */
export async function missedCallsFor(businessId: string, userId: string, expect = 1): Promise<string[]> {
  const hub = env.LIVE_HUB.getByName(businessId);
  let ids: string[] = [];
  for (let i = 0; i < 40; i++) {
    ids = await runInDurableObject(hub, (instance: LiveHub) =>
      // biome-ignore lint/complexity/useLiteralKeys: the store is private; tests read it as the hub would replay it
      instance['store']
        .eventsAfter(0, userId)
        .map((e: { event: { kind: string; id: string } }) => e.event)
        .filter((e: { kind: string }) => e.kind === 'missed_call')
        .map((e: { id: string }) => e.id),
    );
    if (ids.length >= expect) return ids;
    await new Promise((r) => setTimeout(r, 25));
  }
  return ids;
}
