import si from 'systeminformation';
import type { ProbeContext } from '../../probe.js';
import { queryClamd, type ClamdQuery } from './clamd-client.js';
import { resolveOptions, type LinuxHostOptions, type ResolvedLinuxHostOptions } from './options.js';
import { listProcesses, type ProcessInfo } from './processes.js';

/** The few systeminformation calls the probe uses: both are fast file reads. */
export interface SystemInfoSource {
  system(): Promise<{ manufacturer: string; model: string; virtual: boolean; virtualHost?: string }>;
  chassis(): Promise<{ manufacturer: string; model: string; type: string }>;
}

/** Everything a Linux fact collector may use; tests replace any part. */
export interface LinuxContext {
  ctx: ProbeContext;
  options: ResolvedLinuxHostOptions;
  /** The process list, read once per scan and shared by the collectors. */
  processes: () => Promise<ProcessInfo[]>;
  systemInfo: SystemInfoSource;
  clamd: ClamdQuery;
}

export interface LinuxContextOverrides {
  systemInfo?: SystemInfoSource;
  clamd?: ClamdQuery;
}

export function createLinuxContext(
  ctx: ProbeContext,
  options: LinuxHostOptions = {},
  overrides: LinuxContextOverrides = {},
): LinuxContext {
  let processes: Promise<ProcessInfo[]> | undefined;
  const c: LinuxContext = {
    ctx,
    options: resolveOptions(options),
    processes: () => (processes ??= listProcesses(c)),
    systemInfo: overrides.systemInfo ?? { system: () => si.system(), chassis: () => si.chassis() },
    clamd: overrides.clamd ?? queryClamd,
  };
  return c;
}
