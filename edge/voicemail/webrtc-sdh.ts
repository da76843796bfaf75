/**
 * A SIP.js SessionDescriptionHandler over werift (pure-TypeScript WebRTC),
 * so SIP.js runs in Node: one audio m-line, ICE, DTLS-SRTP, rtcp-mux.
 *
 * Why werift: the service must speak WebRTC to rtpengine (ICE, DTLS-SRTP)
 * and hand us raw RTP payloads both ways, with no native code to build or
 * crash. `@roamhq/wrtc` installed but segfaulted at exit; werift 0.25 ran
 * every test here on Node 20 (it declares Node ≥ 22). It has known problems
 * behind rtpengine, each handled here on purpose:
 *
 * - no loopback ICE candidates unless told (`iceAdditionalHostAddresses`);
 * - its SDP parser throws on rtpengine's `a=rtcp:PORT` line: stripped
 *   ({@link fixRemoteSdp});
 * - it routes received RTP only by the SSRCs the SDP announces, and
 *   rtpengine's offers announce none (or another one when it transcodes), so
 *   audio would silently never arrive: we take every decrypted RTP packet
 *   from the DTLS transport ourselves ({@link MediaLeg.onRtp});
 * - its DTLS handshake sends each message of a flight as its own datagram,
 *   and stalled in 7 of 40 calls with a multi-threaded rtpengine, which
 *   reorders them. Our rtpengine runs `--num-threads=1`
 *   (scripts/lib/edge-rtpengine.ts); an rtpengine with several threads in
 *   front of this service needs werift patched to send a flight as one
 *   packet (edge/README.md, "Voicemail").
 *
 * Codecs are explicit: Opus (what browsers send; `usedtx=1` asks senders for
 * DTX, which the silence detection reads) and PCMU (the phone network).
 */
import type { SessionDescriptionHandler, SessionDescriptionHandlerFactory } from 'sip.js';
import {
  MediaStreamTrack,
  RTCPeerConnection,
  type RTCRtpCodecParameters,
  type RTCRtpTransceiver,
  RtpHeader,
  RtpPacket,
  useOPUS,
  usePCMU,
} from 'werift';

/** The codecs the service speaks: the negotiated one decides the greeting's format. */
export type AudioCodec = 'opus' | 'pcmu';

/** Options for the peer connections. */
export interface MediaOptions {
  /**
   * The one local address to offer media on (where rtpengine reaches us).
   * Without it werift offers every interface's address and ICE checks them all.
   */
  address?: string;
  /** Local UDP ports for ICE (a firewall-friendly range in production). */
  portRange?: [number, number];
  /** How long to wait for ICE gathering before sending what we have. */
  gatherTimeoutMs?: number;
  /** Preferred order when we offer (the test client); an answer follows the offer's order. */
  codecs?: AudioCodec[];
}

const CODECS: Record<AudioCodec, () => RTCRtpCodecParameters> = {
  // Mono voice: stereo=0; DTX so that silence is (nearly) no packets.
  opus: () => useOPUS({ payloadType: 111, parameters: 'minptime=10;useinbandfec=1;usedtx=1' }),
  pcmu: () => usePCMU(),
};

/**
 * rtpengine's SDP → what werift can parse. werift's parser throws on a
 * separate-port `a=rtcp:PORT` line (rtpengine writes one even with
 * rtcp-mux); with rtcp-mux it means nothing anyway.
 */
export function fixRemoteSdp(sdp: string): string {
  return sdp
    .split(/\r?\n/)
    .filter((line) => !/^a=rtcp:\d+/.test(line))
    .join('\r\n');
}

/**
 * Keeps only the host candidates on `address`. werift gathers one per
 * interface whatever it is told to bind, all with the same priority, which
 * rtpengine reports as a priority collision ("ICE will likely fail").
 */
export function onlyAddress(sdp: string, address: string): string {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') || line.split(' ')[4] === address)
    .join('\r\n');
}

/** The call's audio as the voicemail logic sees it: send payloads, receive payloads. */
export interface MediaLeg {
  /** The negotiated codec (known once the answer or offer/answer is done). */
  readonly codec: AudioCodec | undefined;
  /** The negotiated codec's payload type (the same both ways: an answer uses the offer's numbers). */
  readonly payloadType: number | undefined;
  /** Resolves when DTLS is up and RTP can flow; rejects if the connection fails or closes first. */
  readonly connected: Promise<void>;
  /** Sends one RTP payload of `samples` samples (in the codec's RTP clock). */
  send(payload: Buffer, samples: number): void;
  /** Every received RTP packet of the call's audio, whatever its SSRC. */
  onRtp(listener: (packet: RtpPacket) => void): void;
}

/** The SessionDescriptionHandler: one werift peer connection per SIP session. */
export class WeriftSessionDescriptionHandler implements SessionDescriptionHandler, MediaLeg {
  readonly pc: RTCPeerConnection;
  private readonly track = new MediaStreamTrack({ kind: 'audio' });
  private transceiver: RTCRtpTransceiver | undefined;
  private readonly listeners: Array<(packet: RtpPacket) => void> = [];
  private subscribed = false;
  private seq = Math.floor(Math.random() * 0xffff);
  private timestamp = Math.floor(Math.random() * 0xffffffff);
  private first = true;
  readonly connected: Promise<void>;

  constructor(private readonly options: MediaOptions = {}) {
    const order = options.codecs ?? ['opus', 'pcmu'];
    this.pc = new RTCPeerConnection({
      codecs: { audio: order.map((c) => CODECS[c]()) },
      // Without it werift offers no loopback candidate, and locally rtpengine is on 127.0.0.1.
      iceAdditionalHostAddresses: ['127.0.0.1'],
      iceInterfaceAddresses: options.address ? { udp4: options.address } : undefined,
      iceUseIpv6: false,
      icePortRange: options.portRange,
      iceServers: [],
      bundlePolicy: 'max-bundle',
    });
    this.connected = new Promise((resolve, reject) => {
      this.pc.connectionStateChange.subscribe((state) => {
        if (state === 'connected') resolve();
        else if (state === 'failed' || state === 'closed') reject(new Error(`media ${state}`));
      });
    });
    // Nobody may be waiting (a call that ends during set-up).
    this.connected.catch(() => undefined);
  }

  get codec(): AudioCodec | undefined {
    const mime = this.transceiver?.sender.codec?.mimeType.toLowerCase();
    return mime === 'audio/opus' ? 'opus' : mime === 'audio/pcmu' ? 'pcmu' : undefined;
  }

  get payloadType(): number | undefined {
    return this.transceiver?.sender.codec?.payloadType;
  }

  onRtp(listener: (packet: RtpPacket) => void): void {
    this.listeners.push(listener);
  }

  send(payload: Buffer, samples: number): void {
    if (!this.transceiver || this.pc.connectionState !== 'connected') return;
    const header = new RtpHeader({
      sequenceNumber: this.seq,
      timestamp: this.timestamp,
      // The sender sets its own SSRC and the negotiated payload type.
      payloadType: 0,
      marker: this.first,
    });
    this.first = false;
    this.seq = (this.seq + 1) & 0xffff;
    this.timestamp = (this.timestamp + samples) >>> 0;
    this.track.writeRtp(new RtpPacket(header, payload));
  }

  // ── SessionDescriptionHandler ────────────────────────────────────────────

  async getDescription(): Promise<{ body: string; contentType: string }> {
    if (this.pc.signalingState === 'have-remote-offer') {
      await this.pc.setLocalDescription(await this.pc.createAnswer());
    } else {
      this.transceiver ??= this.pc.addTransceiver(this.track, { direction: 'sendrecv' });
      await this.pc.setLocalDescription(await this.pc.createOffer());
    }
    await this.gathered();
    this.listen();
    const sdp = this.pc.localDescription?.sdp ?? '';
    return { body: this.options.address ? onlyAddress(sdp, this.options.address) : sdp, contentType: 'application/sdp' };
  }

  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp';
  }

  async setDescription(sdp: string): Promise<void> {
    const type = this.pc.signalingState === 'have-local-offer' ? 'answer' : 'offer';
    await this.pc.setRemoteDescription({ type, sdp: fixRemoteSdp(sdp) });
    if (type === 'offer') {
      const transceiver = this.pc.getTransceivers().find((t) => t.kind === 'audio');
      if (!transceiver) throw new Error('the offer has no audio');
      this.transceiver = transceiver;
      transceiver.setDirection('sendrecv');
      await transceiver.sender.replaceTrack(this.track);
    }
    this.listen();
  }

  sendDtmf(): boolean {
    return false;
  }

  close(): void {
    void this.pc.close().catch(() => undefined);
  }

  /** Every decrypted RTP packet of the (bundled) transport, not only announced SSRCs. */
  private listen(): void {
    const dtls = this.transceiver?.dtlsTransport;
    if (this.subscribed || !dtls) return;
    this.subscribed = true;
    dtls.onRtp.subscribe((packet) => {
      for (const listener of this.listeners) listener(packet);
    });
  }

  private gathered(): Promise<void> {
    if (this.pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.gatherTimeoutMs ?? 2000);
      const { unSubscribe } = this.pc.iceGatheringStateChange.subscribe((state) => {
        if (state === 'complete') done();
      });
      function done() {
        clearTimeout(timer);
        unSubscribe();
        resolve();
      }
    });
  }
}

/** A SIP.js factory: one handler (one werift peer connection) per session. */
export function weriftSdhFactory(options: MediaOptions = {}): SessionDescriptionHandlerFactory {
  return () => new WeriftSessionDescriptionHandler(options);
}

/**
 * Runs one offer in a throw-away peer connection, so the first caller does
 * not pay for werift's lazy set-up (certificate, module warm-up: ~150 ms).
 */
export async function warmUp(options: MediaOptions = {}): Promise<void> {
  const handler = new WeriftSessionDescriptionHandler({ ...options, gatherTimeoutMs: 500 });
  try {
    await handler.getDescription();
  } finally {
    handler.close();
  }
}
