import { openssl, scratchDir } from './openssl.js';

export interface TestTls {
  /** A self-signed CA: trust it to verify `server`, `wrongHost` and `client`. */
  ca: string;
  /** Server certificate for 127.0.0.1 and localhost. */
  server: { cert: string; key: string };
  /** Server certificate signed by the same CA, but for another host name only (wrong.example). */
  wrongHost: { cert: string; key: string };
  /** Client certificate signed by the same CA (clientAuth). */
  client: { cert: string; key: string };
}

let cached: TestTls | undefined;

/** A small PKI made once per process with the openssl CLI (EC P-256, so it takes milliseconds). */
export function testTls(): TestTls {
  if (cached) return cached;
  const dir = scratchDir('testkit-tls-');
  try {
    const p = dir.path;
    openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      p('ca.key'),
      '-out',
      p('ca.pem'),
      '-subj',
      '/CN=testkit CA',
      '-days',
      '2',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    ]);
    const leaf = (name: string, subject: string, ext: string): { cert: string; key: string } => {
      dir.write(`${name}.ext`, ext);
      openssl([
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        p(`${name}.key`),
        '-out',
        p(`${name}.csr`),
        '-subj',
        subject,
      ]);
      openssl([
        'x509',
        '-req',
        '-in',
        p(`${name}.csr`),
        '-CA',
        p('ca.pem'),
        '-CAkey',
        p('ca.key'),
        '-CAcreateserial',
        '-days',
        '2',
        '-extfile',
        p(`${name}.ext`),
        '-out',
        p(`${name}.pem`),
      ]);
      return { cert: dir.read(`${name}.pem`).toString(), key: dir.read(`${name}.key`).toString() };
    };
    cached = {
      ca: dir.read('ca.pem').toString(),
      server: leaf('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n'),
      wrongHost: leaf('wrong', '/CN=wrong.example', 'subjectAltName=DNS:wrong.example\nextendedKeyUsage=serverAuth\n'),
      client: leaf('client', '/CN=testkit client', 'extendedKeyUsage=clientAuth\n'),
    };
    return cached;
  } finally {
    dir.cleanup();
  }
}
