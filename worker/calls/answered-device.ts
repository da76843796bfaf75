import { sipDeviceOf } from '../../shared/sip-device';

/** An answered call whose device may be named: its business, the user who answered, the answering Contact. */
export interface AnsweringDevice {
  businessId: string;
  userId: string;
  contact: string | null;
}

const key = (businessId: string, userId: string, deviceId: string) => `${businessId} ${userId} ${deviceId}`;

/**
 * The answering devices' labels ("Chrome on Android"), in one query: the
 * session whose public device id the Contact carries, and only a session of
 * the user who answered, so a Contact cannot name anyone else's device.
 * Returns a lookup from an answered call to its label, or null when the
 * Contact names no session we have (a desk phone, an app from before device
 * ids, a session deleted since).
 */
export async function answeredDeviceLabels(db: D1Database, calls: AnsweringDevice[]): Promise<(call: AnsweringDevice) => string | null> {
  const wanted = calls.flatMap((c) => {
    const deviceId = sipDeviceOf(c.contact);
    return deviceId ? [[c.businessId, c.userId, deviceId]] : [];
  });
  const labels = new Map<string, string>();
  if (wanted.length > 0) {
    const { results } = await db
      .prepare(
        `SELECT s.business_id, s.user_id, s.device_id, s.device_label FROM json_each(?1) j
           JOIN sessions s ON s.device_id = j.value ->> 2 AND s.business_id = j.value ->> 0 AND s.user_id = j.value ->> 1`,
      )
      .bind(JSON.stringify(wanted))
      .all<{ business_id: string; user_id: string; device_id: string; device_label: string }>();
    for (const r of results) labels.set(key(r.business_id, r.user_id, r.device_id), r.device_label);
  }
  return (call) => {
    const deviceId = sipDeviceOf(call.contact);
    return deviceId ? (labels.get(key(call.businessId, call.userId, deviceId)) ?? null) : null;
  };
}
