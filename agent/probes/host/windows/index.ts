import { hostname as nodeHostname } from 'node:os';
import type { Fact, Target } from '../../../../report/schema.js';
import { observe, type Observation } from '../../fact.js';
import type { Probe, ProbeContext } from '../../probe.js';
import { collectAntivirus, DEFENDER_SOURCE } from './antivirus.js';
import { collectDirectoryJoin, DIRECTORY_JOIN_SOURCE } from './directory-join.js';
import { BITLOCKER_SOURCE, collectDiskEncryption } from './disk-encryption.js';
import { collectFirewall, FIREWALL_SOURCE } from './firewall.js';
import { collectHardware, HARDWARE_SOURCE } from './hardware.js';
import { collectIdentity, IDENTITY_SOURCE } from './identity.js';
import { collectListeningServices, LISTENING_SOURCE } from './listening-services.js';
import { collectLocalAdmins, LOCAL_ADMINS_SOURCE } from './local-admins.js';
import { collectLogging, EVENTLOG_SOURCE } from './logging.js';
import { collectOperatingSystem, OS_SOURCE } from './os.js';
import { collectPatches, WUA_SOURCE } from './patches.js';
import { collectSmbServer, SMB_SERVER_SOURCE } from './smb.js';
import { collectTimeSync, W32TM_SOURCE } from './time-sync.js';
import type { IdentityValue, OsValue } from './types.js';

function observeWith(ctx: ProbeContext, name: string, source: string, collect: () => Promise<Observation>): Promise<Fact> {
  return observe(name, source, collect, ctx.now);
}

function okValue<T>(fact: Fact): T | null {
  return fact.status === 'ok' ? (fact.value as T) : null;
}

/**
 * Collects every host fact on Windows. Each fact runs its own commands through
 * observe(), so one that fails or times out becomes an error fact and the rest go on.
 * Identity and OS run first because later facts use the host name (to tell local from
 * domain administrators) and the edition (SecurityCenter2 exists only on clients).
 * The rest run one after another to keep the load on the host low.
 */
export async function collectWindowsHostFacts(ctx: ProbeContext): Promise<Fact[]> {
  const [identity, os] = await Promise.all([
    observeWith(ctx, 'identity', IDENTITY_SOURCE, () => collectIdentity(ctx)),
    observeWith(ctx, 'os', OS_SOURCE, () => collectOperatingSystem(ctx)),
  ]);
  const hostname = okValue<IdentityValue>(identity)?.hostname ?? null;
  const isServer = okValue<OsValue>(os)?.isServer ?? null;

  const rest: [string, string, () => Promise<Observation>][] = [
    ['hardware', HARDWARE_SOURCE, () => collectHardware(ctx)],
    ['directoryJoin', DIRECTORY_JOIN_SOURCE, () => collectDirectoryJoin(ctx)],
    ['antivirus', DEFENDER_SOURCE, () => collectAntivirus(ctx, isServer)],
    ['firewall', FIREWALL_SOURCE, () => collectFirewall(ctx)],
    ['diskEncryption', BITLOCKER_SOURCE, () => collectDiskEncryption(ctx)],
    ['listeningServices', LISTENING_SOURCE, () => collectListeningServices(ctx)],
    ['timeSync', W32TM_SOURCE, () => collectTimeSync(ctx)],
    ['logging', EVENTLOG_SOURCE, () => collectLogging(ctx)],
    ['localAdmins', LOCAL_ADMINS_SOURCE, () => collectLocalAdmins(ctx, hostname)],
    ['patches', WUA_SOURCE, () => collectPatches(ctx)],
    ['smbServer', SMB_SERVER_SOURCE, () => collectSmbServer(ctx)],
  ];
  const facts = [identity, os];
  for (const [name, source, collect] of rest) facts.push(await observeWith(ctx, name, source, collect));
  return facts;
}

/**
 * The target these facts describe: its id is the MachineGuid (or SMBIOS UUID) from the
 * identity fact. Without one, the host name stands in, marked so it cannot be taken
 * for a machine id.
 */
export function windowsHostTarget(facts: Fact[], fallbackHostname: string = nodeHostname()): Target {
  const identityFact = facts.find((f) => f.name === 'identity');
  const identity = identityFact ? okValue<IdentityValue>(identityFact) : null;
  const name = identity?.hostname || fallbackHostname || 'unknown';
  const id = identity?.machineId ?? `hostname:${name.toLowerCase()}`;
  return { kind: 'host', id, name, facts };
}

export const windowsHostProbe: Probe = {
  name: 'host-windows',
  async collect(ctx) {
    return [windowsHostTarget(await collectWindowsHostFacts(ctx))];
  },
};
