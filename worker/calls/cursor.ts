/** A keyset position over (routed_at, record id), newest first. */
export interface CallKey {
  routedAt: number;
  id: string;
}

/** The opaque cursor for the call after which the next page starts. */
export function encodeCursor(key: CallKey): string {
  return `${key.routedAt}.${key.id}`;
}

/** Reads a cursor (already validated by `callCursor`). */
export function decodeCursor(cursor: string | undefined): CallKey | null {
  if (!cursor) return null;
  const dot = cursor.indexOf('.');
  return { routedAt: Number(cursor.slice(0, dot)), id: cursor.slice(dot + 1) };
}

/** Past any real key: the first page starts here. */
export const NEWEST: CallKey = { routedAt: Number.MAX_SAFE_INTEGER, id: '~' };
