/**
 * Kamailio's events as they arrive (built with jansson in events.cfg) →
 * the canonical items the Worker accepts (shared/calls-api.ts): call events
 * and registrations. Kamailio
 * stamps `ts` as "seconds.microseconds"; empty strings mean "not known".
 */
import { type EdgeDeliveryItem, edgeDeliveryItem } from '../../shared/calls-api';

/** Reads one event from Kamailio; undefined (and the reason) when it cannot be used. */
export function fromKamailio(raw: unknown): { event: EdgeDeliveryItem } | { error: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: 'not an object' };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === '' || value === null || value === '<null>') continue;
    fields[key] = value;
  }
  const { ts, code, ...rest } = fields;
  const at = typeof ts === 'number' ? ts : typeof ts === 'string' ? Math.round(Number(ts) * 1000) : Number.NaN;
  const candidate = {
    ...rest,
    id: typeof rest.id === 'string' ? rest.id : `${String(rest.callId)}#${String(rest.type)}`,
    at,
    ...(code === undefined ? {} : { code: Number(code) }),
  };
  const parsed = edgeDeliveryItem.safeParse(candidate);
  return parsed.success
    ? { event: parsed.data }
    : { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}
