import type { Observation } from '../../fact.js';
import { FactError, UnsupportedFact } from '../../fact.js';
import type { LinuxContext } from './context.js';
import { parseAptHistoryLastUpgrade, parseAptListUpgradable, parseDpkgLogLastUpgrade, type PendingUpdate } from './patches-apt.js';
import { parseDnfCheckUpdate, parseDnfRpmLogLastUpgrade, parseDnfUpdateinfoSecurity } from './patches-dnf.js';
import { failure, readIfReadable, statPaths, tryRun } from './run.js';

export interface PatchesValue {
  manager: 'apt' | 'dnf' | 'yum';
  pendingSecurity: number;
  pendingTotal: number;
  securityUpdates: string[];
  lastRefresh: string | null;
  lastInstalled: string | null;
}

const MAX_SECURITY_NAMES = 500;

export function summarizeUpdates(
  manager: PatchesValue['manager'],
  updates: readonly PendingUpdate[],
  lastRefresh: Date | null,
  lastInstalled: Date | null,
): PatchesValue {
  const security = [...new Set(updates.filter((u) => u.security).map((u) => u.name))].sort();
  return {
    manager,
    pendingSecurity: security.length,
    pendingTotal: new Set(updates.map((u) => u.name)).size,
    securityUpdates: security.slice(0, MAX_SECURITY_NAMES).map((name) => name.slice(0, 256)),
    lastRefresh: lastRefresh?.toISOString() ?? null,
    lastInstalled: lastInstalled?.toISOString() ?? null,
  };
}

function newest(dates: Iterable<Date>): Date | null {
  let latest: Date | null = null;
  for (const date of dates) if (!latest || date > latest) latest = date;
  return latest;
}

/**
 * `apt update` rewrites lists/partial and the lists directory; APT::Periodic stamps the
 * success file. The InRelease files keep the server's date, so their mtimes are no use.
 */
const APT_REFRESH_PATHS = ['/var/lib/apt/periodic/update-success-stamp', '/var/lib/apt/lists/partial', '/var/lib/apt/lists'];

async function collectApt(c: LinuxContext): Promise<Observation<PatchesValue> | null> {
  // `apt list` builds no resolver solution, so it is several times cheaper than `apt-get -s`.
  const args = ['list', '--upgradable'];
  const result = await tryRun(c, 'apt', args);
  if (result === null) return null;
  if (result.code !== 0) throw new FactError(failure('apt', args, result), 'apt list --upgradable');
  const [mtimes, dpkgLog, history] = await Promise.all([
    statPaths(c, APT_REFRESH_PATHS),
    readIfReadable(c, '/var/log/dpkg.log'),
    readIfReadable(c, '/var/log/apt/history.log'),
  ]);
  const lastInstalled = newest(
    [dpkgLog ? parseDpkgLogLastUpgrade(dpkgLog) : null, history ? parseAptHistoryLastUpgrade(history) : null].filter(
      (d): d is Date => d !== null,
    ),
  );
  return {
    value: summarizeUpdates('apt', parseAptListUpgradable(result.stdout), newest(mtimes.values()), lastInstalled),
    source: 'apt list --upgradable, mtime of /var/lib/apt/lists, /var/log/dpkg.log, /var/log/apt/history.log',
  };
}

async function collectDnf(c: LinuxContext, program: 'dnf' | 'yum'): Promise<Observation<PatchesValue> | null> {
  // --cacheonly: the probe reports the state as the host knows it and never downloads metadata.
  const securityArgs = program === 'dnf' ? ['-q', '--cacheonly', 'updateinfo', 'list', '--security', '--available'] : ['-q', '--cacheonly', 'updateinfo', 'list', 'security'];
  const security = await tryRun(c, program, securityArgs);
  if (security === null) return null;
  if (security.code !== 0) throw new FactError(failure(program, securityArgs, security), `${program} ${securityArgs.join(' ')}`);
  const checkArgs = ['-q', '--cacheonly', 'check-update'];
  // check-update exits 100 when updates are available, 0 when there are none.
  const check = await tryRun(c, program, checkArgs);
  if (check === null || (check.code !== 0 && check.code !== 100)) {
    throw new FactError(check ? failure(program, checkArgs, check) : `${program} vanished`, `${program} check-update`);
  }
  const securityNames = new Set(parseDnfUpdateinfoSecurity(security.stdout));
  const updates = parseDnfCheckUpdate(check.stdout, securityNames);
  // A security advisory can name a package check-update folds away (obsoletes): count it anyway.
  for (const name of securityNames) if (!updates.some((u) => u.name === name)) updates.push({ name, security: true });
  const [mtimes, rpmLog] = await Promise.all([
    statPaths(c, ['/var/cache/dnf/last_makecache', '/var/cache/dnf/expired_repos.json', '/var/cache/yum']),
    readIfReadable(c, '/var/log/dnf.rpm.log'),
  ]);
  return {
    value: summarizeUpdates(program, updates, newest(mtimes.values()), rpmLog ? parseDnfRpmLogLastUpgrade(rpmLog) : null),
    source: `${program} updateinfo list --security, ${program} check-update (cache only), /var/log/dnf.rpm.log`,
  };
}

export async function collectPatches(c: LinuxContext): Promise<Observation<PatchesValue>> {
  const apt = await collectApt(c);
  if (apt) return apt;
  const dnf = (await collectDnf(c, 'dnf')) ?? (await collectDnf(c, 'yum'));
  if (dnf) return dnf;
  throw new UnsupportedFact('no supported package manager (apt, dnf, yum) is installed', 'apt, dnf, yum');
}
