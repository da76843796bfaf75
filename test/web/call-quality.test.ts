import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateMos, qualityLabel } from '../../web/src/calling/call-quality';

describe('call quality (E-model MOS estimate)', () => {
  it('rates a clean loopback call as good and a lossy, laggy one as poor', () => {
    expect(estimateMos({ rttMs: 2, jitterMs: 1, loss: 0 })).toBeGreaterThanOrEqual(4.3);
    expect(qualityLabel(estimateMos({ rttMs: 2, jitterMs: 1, loss: 0 }))).toBe('good');
    expect(qualityLabel(estimateMos({ rttMs: 600, jitterMs: 80, loss: 0.1 }))).toBe('poor');
  });

  it('never gets better when the network gets worse, and stays within 1..4.5', () => {
    fc.assert(
      fc.property(fc.nat(2000), fc.nat(300), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(200), (rtt, jitter, loss, extra) => {
        const base = estimateMos({ rttMs: rtt, jitterMs: jitter, loss });
        expect(base).toBeGreaterThanOrEqual(1);
        expect(base).toBeLessThanOrEqual(4.5);
        expect(estimateMos({ rttMs: rtt + extra, jitterMs: jitter, loss })).toBeLessThanOrEqual(base);
        expect(estimateMos({ rttMs: rtt, jitterMs: jitter, loss: Math.min(1, loss + extra / 1000) })).toBeLessThanOrEqual(base);
      }),
    );
  });
});
