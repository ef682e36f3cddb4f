import type { Observation } from '../../fact.js';
import { FactError } from '../../fact.js';
import type { LinuxContext } from './context.js';
import { isRunning } from './processes.js';
import { failure, tryRun } from './run.js';
import { parseChronycTracking, parseNtpqPeers, parseTimesyncStatus, type TimeSyncState } from './time-sync-parsers.js';

export interface TimeSyncValue extends TimeSyncState {
  service: 'chrony' | 'systemd-timesyncd' | 'ntpd' | 'none';
}

async function query(
  c: LinuxContext,
  service: TimeSyncValue['service'],
  program: string,
  args: string[],
  parse: (text: string) => TimeSyncState,
): Promise<Observation<TimeSyncValue>> {
  const source = `${program} ${args.join(' ')}`;
  const result = await tryRun(c, program, args);
  if (result === null) throw new FactError(`${service} is running but ${program} is not installed`, source);
  if (result.code !== 0) throw new FactError(failure(program, args, result), source);
  try {
    return { value: { service, ...parse(result.stdout) }, source: `ps, ${source}` };
  } catch (error) {
    throw new FactError(`${source}: unreadable output (${(error as Error).message})`, source);
  }
}

export async function collectTimeSync(c: LinuxContext): Promise<Observation<TimeSyncValue>> {
  const processes = await c.processes();
  if (isRunning(processes, 'chronyd')) return query(c, 'chrony', 'chronyc', ['-n', 'tracking'], parseChronycTracking);
  if (isRunning(processes, 'ntpd')) return query(c, 'ntpd', 'ntpq', ['-pn'], parseNtpqPeers);
  if (isRunning(processes, 'systemd-timesyncd')) {
    return query(c, 'systemd-timesyncd', 'timedatectl', ['timesync-status'], parseTimesyncStatus);
  }
  return {
    value: { service: 'none', synchronized: false, offsetSeconds: null, source: null, stratum: null },
    source: 'ps (no chronyd, ntpd or systemd-timesyncd running)',
  };
}
