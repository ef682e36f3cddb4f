/** Where to find the ClamAV daemon; anything left out comes from clamd.conf. */
export interface ClamavOptions {
  /** clamd.conf to read; by default the first of the usual Debian and Red Hat paths that exists. */
  configFile?: string;
  /** Unix socket of clamd (overrides LocalSocket). */
  socket?: string;
  /** TCP address of clamd (overrides TCPSocket and TCPAddr). */
  tcp?: { host: string; port: number };
  /** Signature database directory (overrides DatabaseDirectory). */
  databaseDir?: string;
}

export interface LinuxHostOptions {
  /** Upper bound for each command and socket request, in milliseconds. */
  timeoutMs?: number;
  clamav?: ClamavOptions;
}

export interface ResolvedLinuxHostOptions {
  timeoutMs: number;
  clamav: ClamavOptions;
}

export const DEFAULT_TIMEOUT_MS = 5_000;

export function resolveOptions(options: LinuxHostOptions = {}): ResolvedLinuxHostOptions {
  return { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, clamav: options.clamav ?? {} };
}
