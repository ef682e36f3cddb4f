import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCa, issueCertificate } from './tls.js';
import { exited, stopProcessGroup } from './process-group.js';

/**
 * A private slapd (OpenLDAP 2.5) with the ppolicy overlay for tests: its own config,
 * database and certificates in a temp dir, listening on 127.0.0.1 only (TEST-SERVERS.md §2).
 * Data is loaded offline with slapadd before start, so seeding 20,000 users takes < 1 s.
 */

export const SUFFIX = 'dc=kommun,dc=test';
export const AUDIT_DN = `cn=basvakt,ou=system,${SUFFIX}`;
export const AUDIT_PASSWORD = 'Basvakt-läser-2026!';
export const ADMINS_GROUP = `cn=admins,ou=groups,${SUFFIX}`;
export const SSO_GROUP = `cn=sso,ou=groups,${SUFFIX}`;

export type SlapdVariant = 'good' | 'weak' | 'nodefault';

export interface SlapdServer {
  dir: string;
  url: string;
  ldapsUrl: string;
  caFile: string;
  /** The audit account's password, in a file as the probe reads it. */
  passwordFile: string;
  pid: number;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

export interface SlapdOptions {
  variant: SlapdVariant;
  port: number;
  tlsPort: number;
  /** Extra LDIF appended to the seed (e.g. 20,000 users for the benchmark). */
  extraLdif?: string;
  /** Subject alternative names of the server certificate. */
  certificateNames?: string;
  /** False: no certificate configured and no ldaps listener, so StartTLS is refused. */
  tls?: boolean;
}

interface PolicyValues {
  minLength: number;
  history: number;
  maxAge: number;
  minAge: number;
  lockout: boolean;
  maxFailure: number;
  duration: number;
  interval: number;
  quality: number;
}

const GOOD: PolicyValues = { minLength: 14, history: 24, maxAge: 31_536_000, minAge: 86_400, lockout: true, maxFailure: 5, duration: 900, interval: 900, quality: 2 };
const WEAK: PolicyValues = { minLength: 6, history: 3, maxAge: 0, minAge: 0, lockout: false, maxFailure: 0, duration: 0, interval: 0, quality: 1 };
const GOOD_ADMINS: PolicyValues = { ...GOOD, minLength: 16 };
const WEAK_ADMINS: PolicyValues = { ...WEAK, minLength: 8, history: 24, minAge: 86_400, lockout: true, maxFailure: 5, duration: 900, interval: 900, quality: 2 };

function policyLdif(cn: string, p: PolicyValues): string {
  return `dn: cn=${cn},ou=policies,${SUFFIX}
objectClass: applicationProcess
objectClass: pwdPolicy
cn: ${cn}
pwdAttribute: userPassword
pwdMinLength: ${p.minLength}
pwdInHistory: ${p.history}
pwdMaxAge: ${p.maxAge}
pwdMinAge: ${p.minAge}
pwdLockout: ${p.lockout ? 'TRUE' : 'FALSE'}
pwdMaxFailure: ${p.maxFailure}
pwdLockoutDuration: ${p.duration}
pwdFailureCountInterval: ${p.interval}
pwdCheckQuality: ${p.quality}
`;
}

export function personLdif(uid: string, hash: string, extra: string[] = []): string {
  return [`dn: uid=${uid},ou=people,${SUFFIX}`, 'objectClass: inetOrgPerson', `uid: ${uid}`, `cn: ${uid}`, `sn: ${uid}`, `userPassword: ${hash}`, ...extra, ''].join('\n') + '\n';
}

/**
 * The planted people. anna: ordinary; bertil and frida: admins (frida through the nested
 * it-drift group), both under the admins policy; cecilia: locked for good; david: password
 * changed 2020-01-01 (expired where pwdMaxAge is set).
 */
function seedLdif(variant: SlapdVariant, hash: string): string {
  const adminsPolicy = `pwdPolicySubentry: cn=admins,ou=policies,${SUFFIX}`;
  const parts = [
    `dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: kommun\no: Kommun\n`,
    ...['people', 'groups', 'policies', 'system'].map((ou) => `dn: ou=${ou},${SUFFIX}\nobjectClass: organizationalUnit\nou: ${ou}\n`),
    `dn: ${AUDIT_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: basvakt\nuserPassword: ${hash}\n`,
    policyLdif('default', variant === 'weak' ? WEAK : GOOD),
    policyLdif('admins', variant === 'weak' ? WEAK_ADMINS : GOOD_ADMINS),
    personLdif('anna', hash),
    personLdif('bertil', hash, [adminsPolicy]),
    personLdif('frida', hash, [adminsPolicy]),
    personLdif('cecilia', hash, ['pwdAccountLockedTime: 000001010000Z']),
    personLdif('david', hash, ['pwdChangedTime: 20200101000000Z']),
    `dn: cn=it-drift,ou=groups,${SUFFIX}\nobjectClass: groupOfNames\ncn: it-drift\nmember: uid=frida,ou=people,${SUFFIX}\n`,
    `dn: ${ADMINS_GROUP}\nobjectClass: groupOfNames\ncn: admins\nmember: uid=bertil,ou=people,${SUFFIX}\nmember: cn=it-drift,ou=groups,${SUFFIX}\n`,
    `dn: ${SSO_GROUP}\nobjectClass: groupOfNames\ncn: sso\nmember: uid=anna,ou=people,${SUFFIX}\nmember: ${ADMINS_GROUP}\n`,
  ];
  return parts.join('\n');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startSlapd(options: SlapdOptions): Promise<SlapdServer> {
  const dir = mkdtempSync(join(tmpdir(), 'basvakt-slapd-'));
  mkdirSync(join(dir, 'db'));
  const caFile = createTestCa(dir);
  const cert = issueCertificate(dir, 'server', options.certificateNames ?? 'IP:127.0.0.1,DNS:localhost');
  const hash = execFileSync('slappasswd', ['-s', AUDIT_PASSWORD], { encoding: 'utf8' }).trim();
  const passwordFile = join(dir, 'bind-password');
  writeFileSync(passwordFile, `${AUDIT_PASSWORD}\n`, { mode: 0o600 });
  const config = join(dir, 'slapd.conf');
  writeFileSync(
    config,
    `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
${options.tls === false ? '' : `TLSCACertificateFile ${caFile}
TLSCertificateFile ${cert.certFile}
TLSCertificateKeyFile ${cert.keyFile}`}
sizelimit unlimited
database config
rootdn "cn=admin,cn=config"
rootpw ${hash}
access to * by dn.exact="${AUDIT_DN}" read by * none
database mdb
maxsize 1073741824
suffix "${SUFFIX}"
rootdn "cn=admin,${SUFFIX}"
rootpw ${hash}
directory ${dir}/db
dbnosync
index objectClass eq
index uid,cn eq
overlay ppolicy
${options.variant === 'nodefault' ? '' : `ppolicy_default "cn=default,ou=policies,${SUFFIX}"`}
ppolicy_use_lockout
${options.variant === 'weak' ? '' : 'ppolicy_hash_cleartext'}
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
`,
  );
  const ldif = join(dir, 'seed.ldif');
  writeFileSync(ldif, seedLdif(options.variant, hash) + '\n' + (options.extraLdif ?? ''));
  execFileSync('slapadd', ['-q', '-f', config, '-l', ldif], { stdio: 'pipe' });

  const url = `ldap://127.0.0.1:${options.port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${options.tlsPort}`;
  // -d 0 keeps slapd in the foreground, in its own process group, so stop() reaches it.
  const child = spawn('slapd', ['-d', '0', '-f', config, '-h', options.tls === false ? `${url}/` : `${url}/ ${ldapsUrl}/`], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const stop = (): Promise<void> => stopProcessGroup(child);
  const dispose = async (): Promise<void> => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      execFileSync('ldapsearch', ['-x', '-H', url, '-b', '', '-s', 'base', '-LLL', 'namingContexts'], { stdio: 'ignore', timeout: 2000 });
      break;
    } catch {
      if (exited(child) || Date.now() > deadline) {
        await dispose();
        throw new Error(`slapd did not start on ${url}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
      }
      await sleep(50);
    }
  }
  return { dir, url, ldapsUrl, caFile, passwordFile, pid: child.pid!, stop, dispose };
}

