/** Which media-edge programs and Kamailio modules are installed, and the Debian package of each one missing. */
import { existsSync } from 'node:fs';

const KAMAILIO_MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules';

/** One thing the edge needs, where it is looked for, and the Debian package that provides it. */
interface Requirement {
  what: string;
  path: string;
  pkg: string;
  /** Only the simulated phone network and the tests need it. */
  optional?: boolean;
}

const REQUIREMENTS: Requirement[] = [
  { what: 'kamailio', path: '/usr/sbin/kamailio', pkg: 'kamailio' },
  { what: 'kamailio websocket module', path: `${KAMAILIO_MODULES}/websocket.so`, pkg: 'kamailio-websocket-modules' },
  { what: 'kamailio tls module', path: `${KAMAILIO_MODULES}/tls.so`, pkg: 'kamailio-tls-modules' },
  { what: 'kamailio auth_ephemeral module', path: `${KAMAILIO_MODULES}/auth_ephemeral.so`, pkg: 'kamailio-autheph-modules' },
  { what: 'kamailio http_client module', path: `${KAMAILIO_MODULES}/http_client.so`, pkg: 'kamailio-utils-modules' },
  { what: 'kamailio jansson module', path: `${KAMAILIO_MODULES}/jansson.so`, pkg: 'kamailio-extra-modules' },
  { what: 'rtpengine', path: '/usr/bin/rtpengine', pkg: 'rtpengine-daemon' },
  // Greetings and call recordings are converted (WebM ⇄ Ogg Opus, recorded RTP → audio) with ffmpeg.
  { what: 'ffmpeg (voicemail greetings, call recordings)', path: '/usr/bin/ffmpeg', pkg: 'ffmpeg' },
  { what: 'baresip (the simulated phone network)', path: '/usr/bin/baresip', pkg: 'baresip-core', optional: true },
  { what: 'sipp (SIP test client)', path: '/usr/bin/sipp', pkg: 'sip-tester', optional: true },
];

/** Every Debian package the edge, its simulated phone network and its tests use (the same list as `.ci/run`). */
export const EDGE_PACKAGES = [...new Set(REQUIREMENTS.map((r) => r.pkg))];

/** What is missing: `ok` when the edge itself can run; `gateway` when the simulated phone network can too. */
export interface EdgeAvailability {
  ok: boolean;
  gateway: boolean;
  missing: Array<{ what: string; pkg: string; optional: boolean }>;
  /** The Debian packages to install for everything missing. */
  packages: string[];
}

/** Checks the installed binaries and modules. */
export function edgeAvailable(): EdgeAvailability {
  const missing = REQUIREMENTS.filter((r) => !existsSync(r.path)).map((r) => ({ what: r.what, pkg: r.pkg, optional: r.optional === true }));
  return {
    ok: missing.every((m) => m.optional),
    gateway: !missing.some((m) => m.pkg === 'baresip-core'),
    missing,
    packages: [...new Set(missing.map((m) => m.pkg))],
  };
}
