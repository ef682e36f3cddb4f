import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface IssuedCertificate {
  certFile: string;
  keyFile: string;
}

/** A throwaway CA in `dir` (ca.pem, ca-key.pem) for test servers. */
export function createTestCa(dir: string): string {
  const caFile = join(dir, 'ca.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'ca-key.pem'), '-out', caFile, '-days', '2', '-subj', '/CN=basvakt test CA'], { stdio: 'ignore' });
  return caFile;
}

/** A server certificate signed by the CA in `dir`, for the given subjectAltNames (e.g. IP:127.0.0.1,DNS:localhost). */
export function issueCertificate(dir: string, name: string, subjectAltName: string): IssuedCertificate {
  const keyFile = join(dir, `${name}-key.pem`);
  const certFile = join(dir, `${name}.pem`);
  const csr = join(dir, `${name}.csr`);
  execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', csr, '-subj', `/CN=${name}`], { stdio: 'ignore' });
  execFileSync(
    'bash',
    ['-c', `openssl x509 -req -in "$1" -CA "$2" -CAkey "$3" -CAcreateserial -out "$4" -days 2 -extfile <(printf 'subjectAltName=%s' "$5")`, 'x', csr, join(dir, 'ca.pem'), join(dir, 'ca-key.pem'), certFile, subjectAltName],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile };
}
