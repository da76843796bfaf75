/**
 * A call-quality estimate from WebRTC statistics: the ITU-T G.107 E-model,
 * simplified as is usual for VoIP monitoring (effective latency from RTT and
 * jitter, a loss penalty), mapped to a MOS between 1 and 4.5.
 */
export interface QualitySample {
  /** Round-trip time, ms. */
  rttMs: number;
  /** Inbound jitter, ms. */
  jitterMs: number;
  /** Fraction of inbound packets lost, 0..1. */
  loss: number;
}

/** Mean opinion score estimate, 1 (bad) to 4.5 (best narrowband-equivalent). */
export function estimateMos({ rttMs, jitterMs, loss }: QualitySample): number {
  const effectiveLatency = rttMs / 2 + jitterMs * 2 + 10;
  let r = effectiveLatency < 160 ? 93.2 - effectiveLatency / 40 : 93.2 - (effectiveLatency - 120) / 10;
  r -= loss * 100 * 2.5;
  if (r < 0) return 1;
  const mos = 1 + 0.035 * r + 0.000007 * r * (r - 60) * (100 - r);
  return Math.min(4.5, Math.max(1, Math.round(mos * 100) / 100));
}

/** Words for the indicator; below 3.6 people notice, below 3.1 they complain. */
export function qualityLabel(mos: number): 'good' | 'fair' | 'poor' {
  return mos >= 3.6 ? 'good' : mos >= 3.1 ? 'fair' : 'poor';
}

/** Reads one sample from a peer connection's statistics (audio only). */
export async function sampleQuality(
  pc: RTCPeerConnection,
  previous?: { received: number; lost: number },
): Promise<{ sample: QualitySample; counters: { received: number; lost: number }; sent: number }> {
  const stats = await pc.getStats();
  let rttMs = 0;
  let jitterMs = 0;
  let received = 0;
  let lost = 0;
  let sent = 0;
  stats.forEach((report) => {
    if (report.type === 'outbound-rtp' && report.kind === 'audio') sent = report.packetsSent ?? 0;
    if (report.type === 'candidate-pair' && report.nominated && typeof report.currentRoundTripTime === 'number')
      rttMs = report.currentRoundTripTime * 1000;
    if (report.type === 'remote-inbound-rtp' && typeof report.roundTripTime === 'number' && rttMs === 0)
      rttMs = report.roundTripTime * 1000;
    if (report.type === 'inbound-rtp' && report.kind === 'audio') {
      jitterMs = (report.jitter ?? 0) * 1000;
      received = report.packetsReceived ?? 0;
      lost = Math.max(0, report.packetsLost ?? 0);
    }
  });
  const dReceived = received - (previous?.received ?? 0);
  const dLost = lost - (previous?.lost ?? 0);
  const loss = dReceived + dLost > 0 ? dLost / (dReceived + dLost) : 0;
  return { sample: { rttMs, jitterMs, loss }, counters: { received, lost }, sent };
}
