import type { Fact, Target } from '../../../../report/schema.js';
import { observe, type Observation } from '../../fact.js';
import type { Probe, ProbeContext } from '../../probe.js';
import { collectAntivirus } from './antivirus.js';
import { createLinuxContext, type LinuxContext, type LinuxContextOverrides } from './context.js';
import { collectDirectoryJoin } from './directory-join.js';
import { collectDiskEncryption } from './disk-encryption.js';
import { collectFirewall } from './firewall.js';
import { collectHardware } from './hardware.js';
import { collectIdentity, type IdentityValue } from './identity.js';
import { collectListeningServices } from './listening-services.js';
import { collectLocalAdmins } from './local-admins.js';
import { collectLogging } from './logging.js';
import type { LinuxHostOptions } from './options.js';
import { collectOs } from './os.js';
import { collectPatches } from './patches.js';
import { collectSmbServer } from './smb.js';
import { collectTimeSync } from './time-sync.js';

export type { LinuxHostOptions } from './options.js';

type Collector = (c: LinuxContext) => Promise<Observation>;

/** Every host fact, with the source named when the collector fails before naming its own. */
export const LINUX_HOST_COLLECTORS: ReadonlyArray<{ name: string; source: string; collect: Collector }> = [
  { name: 'identity', source: '/proc/sys/kernel/hostname', collect: collectIdentity },
  { name: 'os', source: '/etc/os-release', collect: collectOs },
  { name: 'hardware', source: 'systeminformation', collect: collectHardware },
  { name: 'patches', source: 'apt, dnf', collect: collectPatches },
  { name: 'antivirus', source: 'clamd', collect: collectAntivirus },
  { name: 'firewall', source: 'nft, iptables-save, ufw, firewall-cmd', collect: collectFirewall },
  { name: 'diskEncryption', source: 'lsblk', collect: collectDiskEncryption },
  { name: 'listeningServices', source: 'ss -H -tulpn', collect: collectListeningServices },
  { name: 'timeSync', source: 'ps', collect: collectTimeSync },
  { name: 'logging', source: 'ps', collect: collectLogging },
  { name: 'localAdmins', source: '/etc/passwd, /etc/group', collect: collectLocalAdmins },
  { name: 'directoryJoin', source: 'ps, realm list, /etc/sssd/sssd.conf', collect: collectDirectoryJoin },
  { name: 'smbServer', source: 'smbd -V, testparm -s -v', collect: (c) => collectSmbServer(c) },
];

/**
 * Collects every Linux host fact. The collectors run concurrently; each one's failure
 * becomes that fact's error or unsupported marker and never touches the others.
 */
export async function collectLinuxHostFacts(
  ctx: ProbeContext,
  options: LinuxHostOptions = {},
  overrides: LinuxContextOverrides = {},
): Promise<Fact[]> {
  const c = createLinuxContext(ctx, options, overrides);
  return Promise.all(LINUX_HOST_COLLECTORS.map(({ name, source, collect }) => observe(name, source, () => collect(c), ctx.now)));
}

/** The host as a report target: id is the machine id, else the host name. */
export function linuxHostTarget(facts: Fact[], fallbackHostname: string): Target {
  const identity = facts.find((f) => f.name === 'identity' && f.status === 'ok');
  const value = identity?.status === 'ok' ? (identity.value as IdentityValue) : null;
  const name = value?.hostname || fallbackHostname;
  return { kind: 'host', id: value?.machineId ?? name, name, facts };
}

export function linuxHostProbe(options: LinuxHostOptions = {}, fallbackHostname = 'localhost'): Probe {
  return {
    name: 'host-linux',
    async collect(ctx) {
      const facts = await collectLinuxHostFacts(ctx, options);
      return [linuxHostTarget(facts, fallbackHostname)];
    },
  };
}
