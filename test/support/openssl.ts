import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs the openssl CLI; throws when it fails. */
export function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

/** Where a key and its certificate were written, as PEM files. */
export interface PemFiles {
  readonly key: string;
  readonly cert: string;
}

/** A new RSA key, unencrypted (servers under test read it without a passphrase). */
const NEW_KEY = ['-newkey', 'rsa:2048', '-nodes'];
const ONE_DAY = ['-days', '1'];

function pemFiles(dir: string, name: string): PemFiles {
  return { key: join(dir, `${name}.key`), cert: join(dir, `${name}.pem`) };
}

/**
 * Writes a self-signed certificate for `subject` (`/CN=…`), valid for one day, and its key as
 * `<name>.pem` and `<name>.key` in `dir`; `altNames` is its subjectAltName (`DNS:…,IP:…`), which
 * TLS clients check the server's name against.
 */
export function selfSignedPem(dir: string, name: string, subject: string, altNames?: string): PemFiles {
  const files = pemFiles(dir, name);
  const altName = altNames === undefined ? [] : ['-addext', `subjectAltName=${altNames}`];
  const out = ['-keyout', files.key, '-out', files.cert];
  openssl(['req', '-x509', ...NEW_KEY, ...ONE_DAY, '-subj', subject, ...altName, ...out]);
  return files;
}

/** Writes a certificate for `subject` signed by `ca`, valid for one day, and its key as `<name>.pem` and `<name>.key` in `dir`. */
export function caSignedPem(dir: string, name: string, subject: string, ca: PemFiles): PemFiles {
  const files = pemFiles(dir, name);
  const request = join(dir, `${name}.csr`);
  openssl(['req', ...NEW_KEY, '-subj', subject, '-keyout', files.key, '-out', request]);
  const signer = ['-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial'];
  openssl(['x509', '-req', '-in', request, ...signer, ...ONE_DAY, '-out', files.cert]);
  return files;
}
