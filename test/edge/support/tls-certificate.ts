/** A throwaway self-signed certificate for the wss tests: made at test time, never committed, never trusted by anything else. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The PEM files (for Kamailio) and the certificate's text (for a client to pin). */
export interface SelfSigned {
  certificate: string;
  privateKey: string;
  pem: string;
}

/**
 * A P-256 certificate for 127.0.0.1, valid a day, written into `dir` with
 * openssl (installed with the edge's packages). Its subjectAltName is the IP:
 * a client pinning it also checks the name, as a browser would.
 */
export function selfSignedCertificate(dir: string): SelfSigned {
  const certificate = join(dir, 'cert.pem');
  const privateKey = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      privateKey,
      '-out',
      certificate,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return { certificate, privateKey, pem: readFileSync(certificate, 'utf8') };
}
