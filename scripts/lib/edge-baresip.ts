/**
 * baresip, configured from scratch in its own directory: the simulated phone
 * network (the gateway: answers every call, plays a known tone, records
 * what it hears) and, in tests, phones that register with the edge.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BaresipControl, controlBaresip } from './edge-baresip-ctrl';
import { SIMULATED_NUMBERS } from './edge-config';
import { type EdgeProcess, startLogged, startWhenPortFree, waitUntilReady } from './edge-process';

/** How one baresip instance is set up. */
export interface BaresipOptions {
  name: string;
  /** Its config directory (created; config, accounts and recordings go there). */
  dir: string;
  /** SIP over UDP on 127.0.0.1:sipPort. baresip also takes sipPort + 1 for TCP. */
  sipPort: number;
  /** ctrl_tcp port: never sipPort + 1. */
  ctrlPort: number;
  rtpPorts: [number, number];
  /** Account lines (baresip syntax). */
  accounts: string[];
  /** What it sends: a WAV file at the codec's rate (8 kHz mono for G.711). */
  audioFile: string;
  /** Extra modules, e.g. ['dtls_srtp', 'ice'] for a WebRTC-like phone. */
  modules?: string[];
  /** Settings lines added to the config (`rtcp_mux yes`). */
  extraConfig?: string[];
}

/** A running baresip with its control connection. */
export interface Baresip extends EdgeProcess {
  control: BaresipControl;
  /** Where sndfile writes `dump-<call>-dec.wav` (what it heard) and `-enc.wav` (what it sent). */
  recordings: string;
}

/** Writes the config and accounts files and starts baresip; resolves once ctrl_tcp answers. */
export async function startBaresip(options: BaresipOptions): Promise<Baresip> {
  mkdirSync(options.dir, { recursive: true });
  const recordings = join(options.dir, 'recordings');
  mkdirSync(recordings, { recursive: true });
  const modules = ['g711', 'aufile', 'aubridge', 'sndfile', ...(options.modules ?? [])];
  const config = [
    'poll_method epoll',
    // The interface by address: "lo" does not work here.
    'net_interface 127.0.0.1',
    `sip_listen 127.0.0.1:${options.sipPort}`,
    'call_local_timeout 120',
    'call_max_calls 8',
    // No sound card: send the file, play into a bridge nobody listens to.
    `audio_source aufile,${options.audioFile}`,
    'audio_player aubridge,nowhere',
    'audio_alert aubridge,nowhere',
    `rtp_ports ${options.rtpPorts[0]}-${options.rtpPorts[1]}`,
    'rtp_stats yes',
    'jitter_buffer_delay 1-4',
    `module_path /usr/lib/baresip/modules`,
    ...modules.map((m) => `module ${m}.so`),
    'module_tmp account.so',
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${options.ctrlPort}`,
    `snd_path ${recordings}`,
    ...(options.extraConfig ?? []),
  ];
  writeFileSync(join(options.dir, 'config'), `${config.join('\n')}\n`);
  writeFileSync(join(options.dir, 'accounts'), `${options.accounts.join('\n')}\n`);
  writeFileSync(join(options.dir, 'contacts'), '');
  const { proc, control: ready } = await startWhenPortFree(async () => {
    const proc = startLogged(options.name, '/usr/bin/baresip', ['-f', options.dir], join(options.dir, 'baresip.log'));
    let control: BaresipControl | undefined;
    await waitUntilReady(proc, async () => {
      control = await controlBaresip(options.ctrlPort);
      return true;
    });
    return { proc, control: control as BaresipControl };
  });
  return {
    ...proc,
    control: ready,
    recordings,
    stop: async () => {
      ready.close();
      await proc.stop();
    },
  };
}

/**
 * The simulated phone network: each of its numbers answers, plays the tone
 * and records what it hears; it places calls into the edge from those numbers.
 */
export function startGateway(options: {
  dir: string;
  port: number;
  ctrlPort: number;
  rtpPorts: [number, number];
  audioFile: string;
  numbers?: string[];
}): Promise<Baresip> {
  const numbers = options.numbers ?? SIMULATED_NUMBERS;
  return startBaresip({
    name: 'phone network (baresip)',
    dir: options.dir,
    sipPort: options.port,
    ctrlPort: options.ctrlPort,
    rtpPorts: options.rtpPorts,
    audioFile: options.audioFile,
    // No registration: the edge sends calls straight to this address; calls it
    // places come from it, which is what the edge trusts.
    // G.711 only, like the phone network.
    accounts: numbers.map((n) => `<sip:${n}@127.0.0.1:${options.port}>;regint=0;answermode=auto;audio_codecs=PCMU/8000/1,PCMA/8000/1`),
  });
}
