import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { toFileTime } from '../../../agent/probes/directory/decode.js';
import { createTestCa, issueCertificate } from './tls.js';

/**
 * A Samba AD domain controller for tests (TEST-SERVERS.md §3). Samba's LDAP ports are
 * fixed, so it runs in a network namespace of its own, reached over a veth pair at
 * 10.99.0.2. Its certificate comes from a test CA and names that address. Traffic never
 * leaves the namespace pair.
 */

export const REALM = 'kommun.test';
export const BASE = 'DC=kommun,DC=test';
export const ADMIN_PASSWORD = 'Adm1n!Passw0rd-2026';
export const ADMIN_DN = `CN=Administrator,CN=Users,${BASE}`;
const HOST_IP = '10.99.0.1';
export const DC_IP = '10.99.0.2';

export interface SambaServer {
  dir: string;
  url: string;
  caFile: string;
  passwordFile: string;
  namespace: string;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;
const ip = (...args: string[]): void => void execFileSync('ip', args, { stdio: 'pipe' });

export async function startSamba(): Promise<SambaServer> {
  const dir = mkdtempSync(join(tmpdir(), 'basvakt-samba-'));
  const namespace = `bvdc${process.pid}`;
  const veth = `bvh${process.pid}`.slice(0, 15);
  for (const sub of ['run', 'log', 'tls']) mkdirSync(join(dir, sub));
  const tls = join(dir, 'tls');
  const caFile = createTestCa(tls);
  const cert = issueCertificate(tls, 'dc1', `IP:${DC_IP},DNS:dc1.${REALM}`);
  execFileSync(
    'samba-tool',
    [
      'domain', 'provision', `--realm=${REALM.toUpperCase()}`, '--domain=KOMMUN', '--server-role=dc', '--dns-backend=SAMBA_INTERNAL',
      `--adminpass=${ADMIN_PASSWORD}`, `--targetdir=${dir}`, '--host-name=dc1', `--host-ip=${DC_IP}`,
      `--option=interfaces=lo ${DC_IP}`, '--option=bind interfaces only=yes', '--option=dns forwarder=',
      `--option=pid directory=${dir}/run`, `--option=ncalrpc dir=${dir}/run/ncalrpc`, `--option=winbindd socket directory=${dir}/run/winbindd`,
      `--option=ntp signd socket directory=${dir}/run/ntp_signd`, `--option=log file=${dir}/log/log.%m`,
    ],
    { stdio: 'pipe' },
  );
  const conf = join(dir, 'etc', 'smb.conf');
  // provision drops options it does not know at that point; these go straight into [global].
  const extra = ['tls enabled = yes', `tls keyfile = ${cert.keyFile}`, `tls certfile = ${cert.certFile}`, `tls cafile = ${caFile}`, 'server services = ldap'];
  writeFileSync(conf, readFileSync(conf, 'utf8').replace(/^\[global\]$/m, `[global]\n${extra.map((l) => `\t${l}`).join('\n')}`));

  ip('netns', 'add', namespace);
  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    if (child && !exited(child) && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        // gone already
      }
    }
    // Samba's children exit after the parent: wait until the namespace is empty.
    for (let i = 0; i < 200; i++) {
      let pids = '';
      try {
        pids = execFileSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8', stdio: 'pipe' }).trim();
      } catch {
        break;
      }
      if (!pids) break;
      if (i === 100) for (const pid of pids.split('\n')) process.kill(Number(pid), 'SIGKILL');
      await sleep(50);
    }
  };
  const dispose = async (): Promise<void> => {
    await stop();
    try {
      ip('netns', 'del', namespace);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    ip('link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', namespace);
    ip('addr', 'add', `${HOST_IP}/30`, 'dev', veth);
    ip('link', 'set', veth, 'up');
    ip('-n', namespace, 'addr', 'add', `${DC_IP}/30`, 'dev', 'eth0');
    ip('-n', namespace, 'link', 'set', 'eth0', 'up');
    ip('-n', namespace, 'link', 'set', 'lo', 'up');
    child = spawn('ip', ['netns', 'exec', namespace, 'samba', '-s', conf, '-l', join(dir, 'log'), '--foreground', '--no-process-group', '--maximum-runtime=900'], { stdio: 'ignore' });
    const url = `ldaps://${DC_IP}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        execFileSync('ldapsearch', ['-x', '-H', url, '-b', '', '-s', 'base', 'defaultNamingContext'], { stdio: 'ignore', timeout: 2000, env: { ...process.env, LDAPTLS_CACERT: caFile } });
        break;
      } catch {
        if (exited(child) || Date.now() > deadline) throw new Error(`samba did not start: ${readLog(dir)}`);
        await sleep(100);
      }
    }
    const passwordFile = join(dir, 'bind-password');
    writeFileSync(passwordFile, ADMIN_PASSWORD, { mode: 0o600 });
    return { dir, url, caFile, passwordFile, namespace, stop, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'log', 'log.samba'), 'utf8').trim().split('\n').slice(-5).join(' | ');
  } catch {
    return '(no log)';
  }
}

/** An admin connection over LDAPS, for seeding. */
export async function adminClient(server: SambaServer): Promise<Client> {
  const client = new Client({ url: server.url, timeout: 20_000, tlsOptions: { ca: [readFileSync(server.caFile, 'utf8')] } });
  await client.bind(ADMIN_DN, ADMIN_PASSWORD);
  return client;
}

const quotedPassword = (password: string): Buffer => Buffer.from(`"${password}"`, 'utf16le');
const daysAgo = (days: number, now: Date): string => toFileTime(new Date(now.getTime() - days * 86_400_000)).toString();
const NEVER = '-9223372036854775808';
const MINUTES = (m: number): string => String(-BigInt(m) * 600_000_000n);
const DAYS = (d: number): string => String(-BigInt(d) * 864_000_000_000n);
const USER_PASSWORD = 'Sommar!2024-Lang-Nog';

export interface PlantedUser {
  name: string;
  uac: number;
  lastLogonDaysAgo: number | null;
  groups: string[];
}

/**
 * The planted domain: one user per hygiene class, admins (one disabled, reaching Domain
 * Admins through a nested group), two PSOs, and computers (current, stale, Windows XP).
 */
export const PLANTED_USERS: PlantedUser[] = [
  { name: 'anna', uac: 0x200, lastLogonDaysAgo: 1, groups: ['SSO-Users'] },
  { name: 'gammal', uac: 0x200, lastLogonDaysAgo: 200, groups: [] },
  { name: 'aldrig', uac: 0x200, lastLogonDaysAgo: null, groups: ['SSO-Users'] },
  { name: 'svc-backup', uac: 0x200 | 0x10000, lastLogonDaysAgo: 1, groups: ['ServiceAccounts'] },
  { name: 'utanlosen', uac: 0x200 | 0x20, lastLogonDaysAgo: 1, groups: [] },
  { name: 'rev1', uac: 0x200 | 0x80, lastLogonDaysAgo: 1, groups: [] },
  { name: 'nopreauth', uac: 0x200 | 0x400000, lastLogonDaysAgo: 1, groups: [] },
  { name: 'adm-erik', uac: 0x200, lastLogonDaysAgo: 1, groups: ['Domain Admins'] },
  { name: 'adm-gammal', uac: 0x202, lastLogonDaysAgo: null, groups: ['IT-Admins'] },
];

export const PLANTED_COMPUTERS = [
  { name: 'pc-ok', lastLogonDaysAgo: 1, os: 'Windows 11 Enterprise', version: '10.0 (22631)' },
  { name: 'pc-gammal', lastLogonDaysAgo: 200, os: 'Windows 10 Pro', version: '10.0 (19045)' },
  { name: 'pc-xp', lastLogonDaysAgo: 1, os: 'Windows XP Professional', version: '5.1 (2600)' },
];

export async function seedSamba(server: SambaServer, now = new Date()): Promise<void> {
  const client = await adminClient(server);
  try {
    const set = (type: string, values: string[]) => new Change({ operation: 'replace', modification: new Attribute({ type, values }) });
    await client.modify(BASE, [
      set('minPwdLength', ['14']), set('pwdHistoryLength', ['24']), set('maxPwdAge', [NEVER]), set('minPwdAge', [DAYS(1)]),
      set('lockoutThreshold', ['0']), set('lockoutDuration', [MINUTES(30)]), set('lockOutObservationWindow', [MINUTES(30)]), set('pwdProperties', ['1']),
    ]);
    const groupDn = (name: string): string => `CN=${name},CN=Users,${BASE}`;
    for (const name of ['ServiceAccounts', 'IT-Admins', 'SSO-Users']) {
      await client.add(groupDn(name), { objectClass: ['top', 'group'], sAMAccountName: name, groupType: '-2147483646' });
    }
    await client.modify(groupDn('Domain Admins'), new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [groupDn('IT-Admins')] }) }));
    for (const user of PLANTED_USERS) {
      const dn = `CN=${user.name},CN=Users,${BASE}`;
      await client.add(dn, [
        new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
        new Attribute({ type: 'sAMAccountName', values: [user.name] }),
        new Attribute({ type: 'unicodePwd', values: [quotedPassword(USER_PASSWORD)] }),
        new Attribute({ type: 'userAccountControl', values: [String(user.uac)] }),
      ]);
      if (user.lastLogonDaysAgo !== null) await client.modify(dn, set('lastLogonTimestamp', [daysAgo(user.lastLogonDaysAgo, now)]));
      for (const group of user.groups) await client.modify(groupDn(group), new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [dn] }) }));
    }
    const psoContainer = `CN=Password Settings Container,CN=System,${BASE}`;
    const pso = (name: string, values: Record<string, string>) => client.add(`CN=${name},${psoContainer}`, { objectClass: 'msDS-PasswordSettings', ...values });
    await pso('PSO-Admins', {
      'msDS-PasswordSettingsPrecedence': '5', 'msDS-MinimumPasswordLength': '15', 'msDS-PasswordHistoryLength': '24', 'msDS-PasswordComplexityEnabled': 'TRUE',
      'msDS-PasswordReversibleEncryptionEnabled': 'FALSE', 'msDS-MinimumPasswordAge': DAYS(1), 'msDS-MaximumPasswordAge': NEVER, 'msDS-LockoutThreshold': '5',
      'msDS-LockoutObservationWindow': MINUTES(30), 'msDS-LockoutDuration': MINUTES(30), 'msDS-PSOAppliesTo': groupDn('Domain Admins'),
    });
    await pso('PSO-Service', {
      'msDS-PasswordSettingsPrecedence': '10', 'msDS-MinimumPasswordLength': '8', 'msDS-PasswordHistoryLength': '0', 'msDS-PasswordComplexityEnabled': 'FALSE',
      'msDS-PasswordReversibleEncryptionEnabled': 'TRUE', 'msDS-MinimumPasswordAge': '0', 'msDS-MaximumPasswordAge': NEVER, 'msDS-LockoutThreshold': '0',
      'msDS-LockoutObservationWindow': MINUTES(30), 'msDS-LockoutDuration': MINUTES(30), 'msDS-PSOAppliesTo': groupDn('ServiceAccounts'),
    });
    for (const pc of PLANTED_COMPUTERS) {
      await client.add(`CN=${pc.name},CN=Computers,${BASE}`, {
        objectClass: ['top', 'person', 'organizationalPerson', 'user', 'computer'],
        sAMAccountName: `${pc.name}$`,
        userAccountControl: '4096',
        operatingSystem: pc.os,
        operatingSystemVersion: pc.version,
        lastLogonTimestamp: daysAgo(pc.lastLogonDaysAgo, now),
      });
    }
  } finally {
    await client.unbind();
  }
}
