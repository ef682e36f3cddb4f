// Directory audit: the compiled directory probe against slapd holding 20,000 users, side by
// side in one run with `ldapsearch -E pr=1000/noprompt` dumping the same attributes over
// the same LDAPS connection kind. Target: the probe within 1.5 × ldapsearch's time.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from './paths.mjs';
import { ensurePackages, median, timed } from './measure.mjs';

const SUFFIX = 'dc=kommun,dc=test';
const AUDIT_DN = `cn=basvakt,ou=system,${SUFFIX}`;
const PASSWORD = 'bench-läser-2026';
const PORT = 13789;
const USER_FILTER = '(|(objectClass=inetOrgPerson)(objectClass=posixAccount)(objectClass=account))';
// Exactly what the probe's user search asks for (agent/probes/directory/openldap.ts).
const USER_ATTRIBUTES = ['uid', 'pwdPolicySubentry', 'pwdChangedTime', 'createTimestamp', 'pwdAccountLockedTime'];
const TARGET_RATIO = 1.5;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const DIST_PROBE = new URL('../../dist/agent/probes/directory/index.js', import.meta.url).href;
const DIST_CONTEXT = new URL('../../dist/agent/runtime/context.js', import.meta.url).href;
const DIST_LOGGER = new URL('../../dist/common/logger.js', import.meta.url).href;

const LDAPTS = new URL('../../node_modules/ldapts/dist/index.mjs', import.meta.url).href;

/** The floor set by the LDAP library: the same paged search with ldapts alone, cold, in a fresh process. */
function ldaptsAlone({ url, pwFile, ca }) {
  const script = `
    const { readFileSync } = await import('node:fs');
    const { Client } = await import(${JSON.stringify(LDAPTS)});
    const t = performance.now();
    const client = new Client({ url: ${JSON.stringify(url)}, tlsOptions: { ca: [readFileSync(${JSON.stringify(ca)}, 'utf8')] } });
    await client.bind(${JSON.stringify(AUDIT_DN)}, readFileSync(${JSON.stringify(pwFile)}, 'utf8'));
    let n = 0;
    for await (const page of client.searchPaginated(${JSON.stringify(SUFFIX)}, { scope: 'sub', filter: ${JSON.stringify(USER_FILTER)}, attributes: ${JSON.stringify(USER_ATTRIBUTES)}, paged: { pageSize: 1000 } })) n += page.searchEntries.length;
    await client.unbind();
    process.stdout.write(JSON.stringify({ entries: n, seconds: +((performance.now() - t) / 1000).toFixed(3) }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

function probeInProcess({ url, pwFile, ca }) {
  const script = `
    const { createDirectoryProbe } = await import(${JSON.stringify(DIST_PROBE)});
    const { createProbeContext } = await import(${JSON.stringify(DIST_CONTEXT)});
    const { createLogger } = await import(${JSON.stringify(DIST_LOGGER)});
    const entry = { url: ${JSON.stringify(url)}, bindDn: ${JSON.stringify(AUDIT_DN)}, passwordFile: ${JSON.stringify(pwFile)}, caFile: ${JSON.stringify(ca)}, allowPlainBind: false, kind: 'auto', timeoutSeconds: 60, pageSize: 1000, maxEntries: 500000, inactiveDays: 90, staleComputerDays: 90, privilegedGroups: [], groups: {} };
    const ctx = createProbeContext(createLogger({ level: 'silent' }));
    const times = [];
    for (let i = 0; i < 2; i++) {
      const t = performance.now();
      const [target] = await createDirectoryProbe([entry]).collect(ctx);
      if (target.facts.find((f) => f.name === 'ppolicy').status !== 'ok') throw new Error(JSON.stringify(target.facts));
      times.push((performance.now() - t) / 1000);
    }
    process.stdout.write(JSON.stringify({ coldSeconds: +times[0].toFixed(3), warmSeconds: +times[1].toFixed(3), peakRssMb: +(process.resourceUsage().maxRSS / 1024).toFixed(1) }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

function seed(users, hash) {
  const out = [
    `dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: kommun\no: Kommun\n`,
    ...['people', 'groups', 'policies', 'system'].map((ou) => `dn: ou=${ou},${SUFFIX}\nobjectClass: organizationalUnit\nou: ${ou}\n`),
    `dn: ${AUDIT_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: basvakt\nuserPassword: ${hash}\n`,
    `dn: cn=default,ou=policies,${SUFFIX}\nobjectClass: applicationProcess\nobjectClass: pwdPolicy\ncn: default\npwdAttribute: userPassword\npwdMinLength: 14\npwdInHistory: 24\npwdMaxAge: 31536000\npwdMinAge: 86400\npwdLockout: TRUE\npwdMaxFailure: 5\npwdLockoutDuration: 900\npwdCheckQuality: 2\n`,
  ];
  for (let i = 0; i < users; i++) {
    const uid = `user${String(i).padStart(5, '0')}`;
    const extra = i % 100 === 0 ? `pwdAccountLockedTime: 000001010000Z\n` : i % 7 === 0 ? `pwdChangedTime: 20240101000000Z\n` : '';
    out.push(`dn: uid=${uid},ou=people,${SUFFIX}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid}\nsn: ${uid}\nmail: ${uid}@kommun.test\nuserPassword: ${hash}\n${extra}`);
  }
  return out.join('\n');
}

async function startSlapd(dir, users) {
  mkdirSync(join(dir, 'db'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  const hash = execFileSync('slappasswd', ['-s', PASSWORD], { encoding: 'utf8' }).trim();
  const conf = join(dir, 'slapd.conf');
  writeFileSync(conf, `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
pidfile ${dir}/slapd.pid
TLSCertificateFile ${dir}/cert.pem
TLSCertificateKeyFile ${dir}/key.pem
sizelimit unlimited
database config
rootdn "cn=admin,cn=config"
access to * by dn.exact="${AUDIT_DN}" read by * none
database mdb
maxsize 1073741824
suffix "${SUFFIX}"
rootdn "cn=admin,${SUFFIX}"
directory ${dir}/db
dbnosync
index objectClass eq
overlay ppolicy
ppolicy_default "cn=default,ou=policies,${SUFFIX}"
ppolicy_hash_cleartext
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
`);
  writeFileSync(join(dir, 'seed.ldif'), seed(users, hash));
  execFileSync('slapadd', ['-q', '-f', conf, '-l', join(dir, 'seed.ldif')], { stdio: 'pipe' });
  const child = spawn('slapd', ['-d', '0', '-f', conf, '-h', `ldaps://127.0.0.1:${PORT}/`], { detached: true, stdio: 'ignore' });
  const env = { ...process.env, LDAPTLS_CACERT: join(dir, 'cert.pem') };
  for (let i = 0; i < 200; i++) {
    try {
      execFileSync('ldapsearch', ['-x', '-H', `ldaps://127.0.0.1:${PORT}`, '-b', '', '-s', 'base'], { stdio: 'ignore', env });
      return child;
    } catch {
      await sleep(50);
    }
  }
  process.kill(-child.pid, 'SIGKILL');
  throw new Error('slapd did not start');
}

export async function benchDirectory({ users = 20_000, runs = 3 } = {}) {
  if (!ensurePackages('time', 'slapd', 'ldap-utils')) return { skipped: 'slapd/ldap-utils could not be installed (needs root and Debian packages)' };
  const dir = mkdtempSync(join(tmpdir(), 'basvakt-bench-ldap-'));
  let child;
  try {
    child = await startSlapd(dir, users);
    const pwFile = join(dir, 'pw');
    writeFileSync(pwFile, PASSWORD, { mode: 0o600 });
    const url = `ldaps://127.0.0.1:${PORT}`;
    const env = { LDAPTLS_CACERT: join(dir, 'cert.pem') };
    const ldapsearchArgs = ['-x', '-LLL', '-H', url, '-D', AUDIT_DN, '-y', pwFile, '-b', SUFFIX, '-E', 'pr=1000/noprompt', USER_FILTER, ...USER_ATTRIBUTES];
    const scanArgs = [CLI, 'scan', '--probe', 'directory', '--url', url, '--bind-dn', AUDIT_DN, '--password-file', pwFile, '--ca', join(dir, 'cert.pem'), '--format', 'json', '--output', '/dev/null'];
    const ldapsearch = [];
    const basvakt = [];
    // Interleaved, so both see the same cache and machine state.
    for (let i = 0; i < runs; i++) {
      ldapsearch.push(await timed('bash', ['-c', 'ldapsearch "$@" > /dev/null', 'ldapsearch', ...ldapsearchArgs], { env }));
      basvakt.push(await timed(process.execPath, scanArgs));
    }
    // The probe alone, in a fresh Node process as the agent's worker runs it: the time of the
    // first (cold) collect and of a second one, without Node's start-up and module loading.
    const inProcess = [];
    const library = [];
    for (let i = 0; i < runs; i++) {
      inProcess.push(probeInProcess({ url, pwFile, ca: join(dir, 'cert.pem') }));
      library.push(ldaptsAlone({ url, pwFile, ca: join(dir, 'cert.pem') }));
    }
    const ls = median(ldapsearch.map((r) => r.wallSeconds));
    const bv = median(basvakt.map((r) => r.wallSeconds));
    const cold = median(inProcess.map((r) => r.coldSeconds));
    const warm = median(inProcess.map((r) => r.warmSeconds));
    return {
      users,
      runs,
      ldapsearch: { command: `ldapsearch -E pr=1000/noprompt ${USER_FILTER} ${USER_ATTRIBUTES.join(' ')} (LDAPS)`, wallSeconds: ls, cpuSeconds: median(ldapsearch.map((r) => r.cpuSeconds)), peakRssMb: Math.max(...ldapsearch.map((r) => r.peakRssMb)) },
      basvakt: {
        command: 'basvakt scan --probe directory (LDAPS, all facts)',
        wallSeconds: bv,
        cpuSeconds: median(basvakt.map((r) => r.cpuSeconds)),
        peakRssMb: Math.max(...basvakt.map((r) => r.peakRssMb)),
      },
      probe: { description: 'collect() in a fresh process, excluding Node start-up: first run (cold JIT) and second run', coldSeconds: cold, warmSeconds: warm, peakRssMb: Math.max(...inProcess.map((r) => r.peakRssMb)) },
      ldaptsAlone: { description: 'the users search alone with ldapts (no probe logic), cold, in a fresh process', seconds: median(library.map((r) => r.seconds)), ratio: +(median(library.map((r) => r.seconds)) / ls).toFixed(2) },
      ratio: +(cold / ls).toFixed(2),
      ratioWarm: +(warm / ls).toFixed(2),
      ratioWholeProcess: +(bv / ls).toFixed(2),
      target: `probe (cold) ≤ ${TARGET_RATIO} × ldapsearch`,
      meetsTarget: cold <= TARGET_RATIO * ls,
    };
  } finally {
    if (child?.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // gone
      }
      for (let i = 0; i < 100 && child.exitCode === null && child.signalCode === null; i++) await sleep(25);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
