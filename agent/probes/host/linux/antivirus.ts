import type { HostFactValue } from '../../../../report/facts/host.js';
import type { Observation } from '../../fact.js';
import type { ClamdEndpoint } from './clamd-client.js';
import { describeEndpoint } from './clamd-client.js';
import { parseClamdConf, type ClamdConfig } from './clamav-config.js';
import { parseClamdVersion, parseCvdHeader, type ClamdVersion } from './clamav-db.js';
import type { LinuxContext } from './context.js';
import { isRunning, type ProcessInfo } from './processes.js';
import { listFiles, readIfReadable, statPaths, tryRun } from './run.js';

export type AntivirusProduct = HostFactValue<'antivirus'>['products'][number];

export type AntivirusValue = HostFactValue<'antivirus'>;

const CLAMD_CONFIG_PATHS = ['/etc/clamav/clamd.conf', '/etc/clamd.d/scan.conf', '/etc/clamd.conf'];
const CLAMAV_BINARIES = ['/usr/sbin/clamd', '/usr/bin/clamscan', '/usr/local/sbin/clamd', '/usr/local/bin/clamscan'];
const DEFAULT_DATABASE_DIR = '/var/lib/clamav';
const CONTAINER_PATTERNS = ['*.cld', '*.cvd', '*.cud'];
const SIGNATURE_PATTERNS = [...CONTAINER_PATTERNS, '*.ndb', '*.hdb', '*.hsb', '*.ldb', '*.mdb', '*.msb', '*.cdb', '*.ndu', '*.ldu', '*.yar', '*.yara'];

/** Anti-virus agents of other vendors, recognised by their daemon's process name only. */
const OTHER_PRODUCTS: ReadonlyArray<{ process: string; name: string }> = [
  { process: 'wdavdaemon', name: 'Microsoft Defender for Endpoint' },
  { process: 'falcon-sensor', name: 'CrowdStrike Falcon' },
  { process: 'savd', name: 'Sophos Anti-Virus' },
  { process: 'ds_agent', name: 'Trend Micro Deep Security Agent' },
  { process: 'kesl', name: 'Kaspersky Endpoint Security' },
];

const DAY_MS = 86_400_000;

export function signatureAgeDays(signatureDate: Date, now: Date): number {
  return Math.max(0, Math.round(((now.getTime() - signatureDate.getTime()) / DAY_MS) * 100) / 100);
}

/** Endpoints to ask, unix socket first; a listener on every address is reached on loopback. */
export function clamdEndpoints(config: ClamdConfig | null, options: LinuxContext['options']['clamav']): ClamdEndpoint[] {
  const endpoints: ClamdEndpoint[] = [];
  const socket = options.socket ?? config?.localSocket;
  if (socket) endpoints.push({ kind: 'unix', path: socket });
  if (options.tcp) {
    endpoints.push({ kind: 'tcp', host: options.tcp.host, port: options.tcp.port });
  } else if (config?.tcpSocket) {
    const addr = config.tcpAddrs[0];
    const host = !addr || addr === '0.0.0.0' ? '127.0.0.1' : addr === '::' ? '::1' : addr;
    endpoints.push({ kind: 'tcp', host, port: config.tcpSocket });
  }
  return endpoints;
}

async function readClamdConfig(c: LinuxContext): Promise<{ config: ClamdConfig; path: string } | null> {
  const paths = c.options.clamav.configFile ? [c.options.clamav.configFile] : CLAMD_CONFIG_PATHS;
  for (const path of paths) {
    const text = await readIfReadable(c, path);
    if (text !== null) return { config: parseClamdConf(text), path };
  }
  return null;
}

async function askVersion(c: LinuxContext, endpoints: readonly ClamdEndpoint[]): Promise<{ version: ClamdVersion; endpoint: ClamdEndpoint } | null> {
  for (const endpoint of endpoints) {
    try {
      const version = parseClamdVersion(await c.clamd(endpoint, 'VERSION', c.options.timeoutMs));
      if (version) return { version, endpoint };
    } catch {
      // Not listening there; try the next endpoint.
    }
  }
  return null;
}

interface SignatureInfo {
  version: string | null;
  date: Date | null;
  source: string;
}

/** The daily database carries the newest signatures; main and bytecode change rarely. */
function rankDatabase(path: string): number {
  const name = path.split('/').pop() ?? '';
  return name.startsWith('daily.') ? 0 : name.startsWith('main.') ? 1 : 2;
}

async function signaturesFromFiles(c: LinuxContext, dir: string): Promise<SignatureInfo | null> {
  const containers = [...(await listFiles(c, dir, CONTAINER_PATTERNS)).keys()].sort((a, b) => rankDatabase(a) - rankDatabase(b));
  let best: { header: NonNullable<ReturnType<typeof parseCvdHeader>>; path: string } | null = null;
  for (const path of containers) {
    const run = await tryRun(c, 'head', ['-c', '512', path]);
    const header = run && run.code === 0 ? parseCvdHeader(run.stdout) : null;
    if (header && (!best || header.buildTime > best.header.buildTime)) best = { header, path };
  }
  if (best) return { version: best.header.version, date: best.header.buildTime, source: `database header ${best.path}` };
  const files = await listFiles(c, dir, SIGNATURE_PATTERNS);
  let newest: [string, Date] | null = null;
  for (const entry of files) if (!newest || entry[1] > newest[1]) newest = entry;
  if (newest) return { version: null, date: newest[1], source: `mtime of ${newest[0]} (no database header)` };
  return null;
}

async function observeClamav(
  c: LinuxContext,
  processes: ProcessInfo[] | null,
): Promise<{ product: AntivirusProduct; sources: string[] } | null> {
  const [configFile, binaries] = await Promise.all([readClamdConfig(c), statPaths(c, CLAMAV_BINARIES)]);
  const clamdRunning = processes ? isRunning(processes, 'clamd') : null;
  const endpoints = clamdEndpoints(configFile?.config ?? null, c.options.clamav);
  const answer = await askVersion(c, endpoints);
  const installed = binaries.size > 0 || clamdRunning === true || answer !== null;
  if (!installed) return null;

  const sources = [configFile?.path ?? 'no clamd.conf'];
  let signature: SignatureInfo | null = null;
  if (answer) sources.push(`clamd VERSION (${describeEndpoint(answer.endpoint)})`);
  if (answer?.version.databaseDate) {
    signature = { version: answer.version.databaseVersion, date: answer.version.databaseDate, source: 'VERSION reply' };
  } else {
    const dir = c.options.clamav.databaseDir ?? configFile?.config.databaseDirectory ?? DEFAULT_DATABASE_DIR;
    signature = await signaturesFromFiles(c, dir);
    if (signature) sources.push(signature.source);
    else sources.push(`no signature database in ${dir}`);
  }
  const running = answer !== null ? true : clamdRunning;
  const now = c.ctx.now();
  return {
    product: {
      name: answer ? `ClamAV ${answer.version.engine}` : 'ClamAV',
      kind: 'clamav',
      installed: true,
      running,
      realTimeProtection: processes ? isRunning(processes, 'clamonacc') : null,
      signatureVersion: signature?.version ?? null,
      signatureDate: signature?.date?.toISOString() ?? null,
      signatureAgeDays: signature?.date ? signatureAgeDays(signature.date, now) : null,
      signaturesUpToDate: null,
      mode: null,
    },
    sources,
  };
}

export async function collectAntivirus(c: LinuxContext): Promise<Observation<AntivirusValue>> {
  // Without a process list the probe still asks clamd directly; running stays unknown otherwise.
  const processes = await c.processes().catch(() => null);
  const clamav = await observeClamav(c, processes);
  const products: AntivirusProduct[] = clamav ? [clamav.product] : [];
  for (const other of OTHER_PRODUCTS) {
    if (processes && isRunning(processes, other.process)) {
      products.push({
        name: other.name,
        kind: 'other',
        installed: true,
        running: true,
        realTimeProtection: null,
        signatureVersion: null,
        signatureDate: null,
        signatureAgeDays: null,
        signaturesUpToDate: null,
      mode: null,
      });
    }
  }
  const sources = [processes ? 'ps' : 'ps failed', ...(clamav?.sources ?? ['no ClamAV binaries'])];
  return { value: { products }, source: sources.join(', ') };
}
