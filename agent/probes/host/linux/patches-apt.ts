/** One upgradable package as apt reports it. */
export interface PendingUpdate {
  name: string;
  security: boolean;
}

/** Debian and Ubuntu publish security fixes in a suite named like `bookworm-security` or `jammy-security`. */
function isSecuritySuite(suite: string): boolean {
  return /-security$/i.test(suite.trim()) || /^Debian-Security:/i.test(suite.trim());
}

/**
 * Parses `apt list --upgradable`:
 * `liblzma5/oldstable-security 5.4.1-1+deb12u2 amd64 [upgradable from: 5.4.1-1]`.
 * The suites are comma-separated when the version is in more than one.
 */
export function parseAptListUpgradable(text: string): PendingUpdate[] {
  const updates: PendingUpdate[] = [];
  for (const line of text.split('\n')) {
    const match = /^([^\s/]+)\/(\S+)\s+\S+\s+\S+\s+\[upgradable from:/.exec(line.trim());
    if (!match?.[1] || !match[2]) continue;
    updates.push({ name: match[1], security: match[2].split(',').some(isSecuritySuite) });
  }
  return updates;
}

/**
 * Parses the `Inst` lines of `apt-get -s upgrade` / `dist-upgrade`:
 * `Inst liblzma5 [5.4.1-1] (5.4.1-1+deb12u2 Debian-Security:12/oldstable-security [amd64])`.
 */
export function parseAptSimulation(text: string): PendingUpdate[] {
  const updates: PendingUpdate[] = [];
  for (const line of text.split('\n')) {
    const match = /^Inst (\S+)(?: \[[^\]]*\])? \((\S+) ([^[]*?)(?: \[[^\]]*\])?\)/.exec(line.trim());
    if (!match?.[1] || match[3] === undefined) continue;
    const origins = match[3].split(',').map((origin) => origin.trim());
    updates.push({ name: match[1], security: origins.some((o) => isSecuritySuite(o.split('/').pop() ?? '') || /^Debian-Security:/i.test(o)) });
  }
  return updates;
}

/** Local time stamps in dpkg and apt logs carry no zone: they are in the host's time zone. */
function localTime(date: string, time: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const value = new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]), Number(t[3]));
  return Number.isNaN(value.getTime()) ? null : value;
}

/** The time of the last `upgrade` action in /var/log/dpkg.log, or null. */
export function parseDpkgLogLastUpgrade(text: string): Date | null {
  let last: Date | null = null;
  for (const line of text.split('\n')) {
    const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) upgrade /.exec(line);
    if (!match?.[1] || !match[2]) continue;
    const when = localTime(match[1], match[2]);
    if (when && (!last || when > last)) last = when;
  }
  return last;
}

/** The end time of the last apt run that upgraded packages, from /var/log/apt/history.log. */
export function parseAptHistoryLastUpgrade(text: string): Date | null {
  let last: Date | null = null;
  for (const entry of text.split(/\n\s*\n/)) {
    if (!/^Upgrade: /m.test(entry)) continue;
    const match = /^End-Date: (\d{4}-\d{2}-\d{2})\s+(\d{2}:\d{2}:\d{2})/m.exec(entry) ?? /^Start-Date: (\d{4}-\d{2}-\d{2})\s+(\d{2}:\d{2}:\d{2})/m.exec(entry);
    if (!match?.[1] || !match[2]) continue;
    const when = localTime(match[1], match[2]);
    if (when && (!last || when > last)) last = when;
  }
  return last;
}
