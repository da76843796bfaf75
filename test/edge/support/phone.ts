/**
 * A baresip phone registered with the edge, standing in for a browser:
 * DTLS-SRTP, ICE and rtcp-mux like WebRTC, G.711 (what the phone network
 * speaks), playing a tone of its own and recording what it hears.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Baresip, startBaresip } from '../../../scripts/lib/edge-baresip';
import { delay } from '../../../scripts/lib/edge-process';
import { dominantTone, readWavSamples, writeToneWav } from '../../../scripts/lib/edge-tone';
import { contactsOf, credentialsFor, edge } from './edge-context';

/** Starts a phone for `userId` and waits until the edge holds its registration. */
export async function startPhone(
  userId: string,
  options: { toneHz: number; sipPort: number; ctrlPort: number; rtpPorts: [number, number] },
): Promise<Baresip> {
  const dir = join(edge.workDir, `phone-${userId}-${Date.now()}`);
  const tone = `${dir}-tone.wav`;
  writeToneWav(tone, { hz: options.toneHz, seconds: 60 });
  const { username, password } = credentialsFor(userId);
  const phone = await startBaresip({
    name: `phone ${userId}`,
    dir,
    sipPort: options.sipPort,
    ctrlPort: options.ctrlPort,
    rtpPorts: options.rtpPorts,
    audioFile: tone,
    modules: ['dtls_srtp', 'ice'],
    extraConfig: ['rtcp_mux yes'],
    accounts: [
      `<sip:${userId}@${edge.sipDomain}>;auth_user="${username}";auth_pass="${password}";outbound="sip:127.0.0.1:${edge.ports.udp}";regint=600;answermode=auto;mediaenc=dtls_srtp;medianat=ice;audio_codecs=PCMU/8000/1`,
    ],
  });
  for (let i = 0; i < 100 && contactsOf(userId).length === 0; i++) await delay(50);
  if (contactsOf(userId).length === 0) {
    await phone.stop();
    throw new Error(`${userId}'s phone did not register`);
  }
  return phone;
}

/** The strongest of `candidates` in the newest recording of what a baresip heard (`-dec.wav`), after `since` (ms). */
export function heardTone(recordings: string, since: number, candidates: number[]): { hz: number; share: number; seconds: number } {
  const newest = readdirSync(recordings)
    .filter((f) => f.endsWith('-dec.wav'))
    .map((f) => ({ f, t: statSync(join(recordings, f)).mtimeMs }))
    .filter((x) => x.t >= since)
    .sort((a, b) => b.t - a.t)[0];
  if (!newest) return { hz: 0, share: 0, seconds: 0 };
  const { rate, samples } = readWavSamples(readFileSync(join(recordings, newest.f)));
  // The middle half: past the jitter buffer's first silence, before hang-up.
  const middle = samples.subarray(Math.floor(samples.length / 4), Math.floor((samples.length * 3) / 4));
  return { ...dominantTone(middle, rate, candidates), seconds: samples.length / rate };
}
