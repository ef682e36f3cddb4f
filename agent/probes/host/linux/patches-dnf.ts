import type { PendingUpdate } from './patches-apt.js';

/** Strips version, release and arch from an NEVRA such as `openssl-libs-1:3.0.7-27.el9.x86_64`. */
export function packageNameFromNevra(nevra: string): string {
  const withoutArch = nevra.replace(/\.[A-Za-z0-9_]+$/, '');
  const parts = withoutArch.split('-');
  // name-[epoch:]version-release: the last two dash-separated parts are version and release.
  return parts.length > 2 ? parts.slice(0, -2).join('-') : withoutArch;
}

/**
 * Parses `dnf updateinfo list --security` (and yum's `updateinfo list security`):
 * `RHSA-2020:2894 Important/Sec. dbus-1:1.10.24-14.el7_8.x86_64`. Returns package names.
 */
export function parseDnfUpdateinfoSecurity(text: string): string[] {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 3) continue;
    const [advisory, kind, nevra] = fields;
    if (!advisory || !kind || !nevra || !/\/Sec\.$/i.test(kind)) continue;
    if (/^(Last|Loaded|Updating|Repository)\b/.test(advisory)) continue;
    names.add(packageNameFromNevra(nevra));
  }
  return [...names];
}

/**
 * Parses `dnf check-update`: `bash.x86_64   5.1.8-9.el9   baseos` lines; stops at the
 * "Obsoleting Packages" section, whose lines repeat packages already listed.
 */
export function parseDnfCheckUpdate(text: string, security: ReadonlySet<string> = new Set()): PendingUpdate[] {
  const updates = new Map<string, PendingUpdate>();
  for (const line of text.split('\n')) {
    if (/^Obsoleting Packages/i.test(line)) break;
    const match = /^(\S+)\.([A-Za-z0-9_]+)\s+(\S+)\s+(\S+)\s*$/.exec(line);
    if (!match?.[1] || /^(Last|Security:)$/.test(match[1])) continue;
    updates.set(match[1], { name: match[1], security: security.has(match[1]) });
  }
  return [...updates.values()];
}

/** The time of the last `Upgraded:` or `Upgrade:` line of /var/log/dnf.rpm.log. */
export function parseDnfRpmLogLastUpgrade(text: string): Date | null {
  let last: Date | null = null;
  for (const line of text.split('\n')) {
    const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})([+-]\d{2}):?(\d{2})\s+\S+\s+Upgraded?:/.exec(line) ?? /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(Z)()\s+\S+\s+Upgraded?:/.exec(line);
    if (!match?.[1]) continue;
    const zone = match[2] === 'Z' ? 'Z' : `${match[2]}:${match[3]}`;
    const when = new Date(`${match[1]}${zone}`);
    if (!Number.isNaN(when.getTime()) && (!last || when > last)) last = when;
  }
  return last;
}
