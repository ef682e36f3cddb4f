import type { Observation } from '../../fact.js';
import { parseAuditctlRules, parseAuditctlStatus } from './audit.js';
import type { LinuxContext } from './context.js';
import { parseRsyslogForwarding, parseSyslogNgForwarding } from './log-forwarding.js';
import { isRunning } from './processes.js';
import { listFiles, readIfReadable, statPaths, tryRun } from './run.js';

type DaemonName = 'journald' | 'rsyslog' | 'syslog-ng' | 'auditd';

export interface LoggingValue {
  daemons: Array<{ name: DaemonName; running: boolean }>;
  forwardTargets: string[];
  auditEnabled: boolean | null;
}

const DAEMONS: ReadonlyArray<{ name: DaemonName; process: string; binaries: string[] }> = [
  { name: 'journald', process: 'systemd-journald', binaries: ['/lib/systemd/systemd-journald', '/usr/lib/systemd/systemd-journald'] },
  { name: 'rsyslog', process: 'rsyslogd', binaries: ['/usr/sbin/rsyslogd', '/sbin/rsyslogd'] },
  { name: 'syslog-ng', process: 'syslog-ng', binaries: ['/usr/sbin/syslog-ng', '/sbin/syslog-ng'] },
  { name: 'auditd', process: 'auditd', binaries: ['/usr/sbin/auditd', '/sbin/auditd'] },
];

async function readConfigs(c: LinuxContext, main: string, dir: string): Promise<{ texts: string[]; files: string[] }> {
  const included = [...(await listFiles(c, dir, ['*.conf'])).keys()].sort();
  const files = [main, ...included];
  const texts = await Promise.all(files.map((f) => readIfReadable(c, f)));
  return { texts: texts.filter((t): t is string => t !== null), files: files.filter((_, i) => texts[i] !== null) };
}

/** Kernel audit is on, with rules, and auditd is there to record it; null when auditctl may not ask. */
async function auditEnabled(c: LinuxContext, auditdRunning: boolean): Promise<{ enabled: boolean | null; source: string }> {
  if (!auditdRunning) return { enabled: false, source: 'auditd not running' };
  const [status, rules] = await Promise.all([tryRun(c, 'auditctl', ['-s']), tryRun(c, 'auditctl', ['-l'])]);
  if (status === null || rules === null) return { enabled: null, source: 'auditctl not installed' };
  if (status.code !== 0 || rules.code !== 0) return { enabled: null, source: 'auditctl -s failed (needs root)' };
  try {
    return { enabled: parseAuditctlStatus(status.stdout) && parseAuditctlRules(rules.stdout) > 0, source: 'auditctl -s, auditctl -l' };
  } catch {
    return { enabled: null, source: 'auditctl -s: unreadable output' };
  }
}

export async function collectLogging(c: LinuxContext): Promise<Observation<LoggingValue>> {
  const [processes, binaries] = await Promise.all([c.processes(), statPaths(c, DAEMONS.flatMap((d) => d.binaries))]);
  const daemons = DAEMONS.map((d) => ({
    name: d.name,
    running: isRunning(processes, d.process),
    installed: d.binaries.some((b) => binaries.has(b)),
  })).filter((d) => d.running || d.installed);
  const running = (name: DaemonName): boolean => daemons.some((d) => d.name === name && d.running);

  // Only a running daemon forwards anything, so only its configuration counts.
  const sources = ['ps'];
  const targets: string[] = [];
  if (running('rsyslog')) {
    const { texts, files } = await readConfigs(c, '/etc/rsyslog.conf', '/etc/rsyslog.d');
    for (const text of texts) targets.push(...parseRsyslogForwarding(text));
    sources.push(...files);
  }
  if (running('syslog-ng')) {
    const { texts, files } = await readConfigs(c, '/etc/syslog-ng/syslog-ng.conf', '/etc/syslog-ng/conf.d');
    for (const text of texts) targets.push(...parseSyslogNgForwarding(text));
    sources.push(...files);
  }
  const audit = await auditEnabled(c, running('auditd'));
  sources.push(audit.source);
  return {
    value: {
      daemons: daemons.map(({ name, running: isUp }) => ({ name, running: isUp })),
      forwardTargets: [...new Set(targets)].slice(0, 64),
      auditEnabled: audit.enabled,
    },
    source: sources.join(', ').slice(0, 4096),
  };
}
