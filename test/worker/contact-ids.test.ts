import { describe, expect, it } from 'vitest';
import { CONTACT_ID_PATTERN } from '../../shared/contacts-limits';
import { newContactId, newContactIds } from '../../worker/contacts/ids';

describe('contact ids', () => {
  it('are distinct, valid ids that sort in the order they were made', () => {
    const ids = [...newContactIds(2000), newContactId(), ...newContactIds(3)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^ct_[0-9a-z]{13}[A-Za-z0-9_-]{8}$/);
      expect(id).toMatch(CONTACT_ID_PATTERN);
    }
    expect([...ids].sort()).toEqual(ids);
  });

  it('carry eight characters of randomness each: no two batches share a tail', () => {
    const tails = [...newContactIds(500), ...newContactIds(500)].map((id) => id.slice(-8));
    expect(new Set(tails).size).toBe(1000);
    // Every base64url character turns up somewhere in 8,000 random ones.
    expect(new Set(tails.join('')).size).toBe(64);
  });
});
