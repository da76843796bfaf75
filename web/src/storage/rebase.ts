/**
 * Re-applying an edit on top of a newer server copy. The server wins a
 * version conflict; this decides whether the user's edit still applies
 * without asking them: only when the fields they changed are not fields
 * the other device changed too (to something else). Otherwise the conflict
 * is the user's to resolve.
 */
import type { Contact, ContactFieldsInput } from '../../../shared/contacts-api';

type Comparable = Pick<Contact, 'firstName' | 'lastName' | 'company' | 'favourite'> & {
  numbers: Array<{ label: string; value: string }>;
  emails: Array<{ label: string; value: string }>;
};

const FIELDS = ['firstName', 'lastName', 'company', 'numbers', 'emails', 'favourite'] as const;

/** Fields as edited, with the schema's defaults, in a form that compares with a stored contact. */
export function comparable(c: ContactFieldsInput | Contact): Comparable {
  return {
    firstName: (c.firstName ?? '').trim(),
    lastName: (c.lastName ?? '').trim(),
    company: (c.company ?? '').trim(),
    favourite: c.favourite ?? false,
    numbers: c.numbers.map((n) => ({ label: n.label ?? 'mobile', value: n.value.trim() })),
    emails: (c.emails ?? []).map((e) => ({ label: e.label ?? 'other', value: e.value.trim() })),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The edit `mine` (made on `base`) re-applied on `theirs`, or undefined when
 * both changed the same field differently (or the base is unknown).
 */
export function rebase(base: Contact | null | undefined, mine: ContactFieldsInput, theirs: Contact): ContactFieldsInput | undefined {
  if (!base) return undefined;
  const [b, m, t] = [comparable(base), comparable(mine), comparable(theirs)];
  const merged = { ...t };
  for (const field of FIELDS) {
    const mineChanged = !same(m[field], b[field]);
    if (!mineChanged) continue;
    if (!same(t[field], b[field]) && !same(t[field], m[field])) return undefined;
    Object.assign(merged, { [field]: m[field] });
  }
  return merged as ContactFieldsInput;
}
