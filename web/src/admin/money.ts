/** 2500 → "25.00": amounts in the business's currency, which the page does not name. */
export function formatCents(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** "25", "25.5", "1,000.00" → cents; undefined when it is not an amount of money. */
export function parseCents(text: string): number | undefined {
  const plain = text.trim().replace(/[,\s]/g, '');
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(plain);
  if (!m?.[1]) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
