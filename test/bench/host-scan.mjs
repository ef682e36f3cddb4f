// Host scan: the compiled `basvakt scan` as a whole process (Node start-up included),
// compared with `lynis audit system --quick` on the same machine in the same run.
import { CLI } from './paths.mjs';
import { ensurePackages, summarize, timed } from './measure.mjs';

const TARGETS = { wallSeconds: 2, cpuSeconds: 1, peakRssMb: 80 };

export async function benchHostScan({ runs = 5, lynis = true } = {}) {
  ensurePackages('time');
  const scans = [];
  for (let i = 0; i < runs; i++) scans.push(await timed(process.execPath, [CLI, 'scan', '--probe', 'host', '--format', 'json', '--output', '/dev/null']));
  const basvakt = summarize(scans);
  const result = {
    command: 'basvakt scan --probe host --format json',
    basvakt,
    targets: TARGETS,
    meetsTargets: basvakt.wallSeconds.median <= TARGETS.wallSeconds && basvakt.cpuSeconds.median <= TARGETS.cpuSeconds && basvakt.peakRssMb.max <= TARGETS.peakRssMb,
  };
  if (lynis && ensurePackages('lynis')) {
    const run = await timed('lynis', ['audit', 'system', '--quick', '--no-colors', '--logfile', '/dev/null', '--report-file', '/dev/null'], { timeoutMs: 600_000 });
    result.lynis = { command: 'lynis audit system --quick', ...run };
  } else {
    result.lynis = { skipped: 'lynis could not be installed (needs root and Debian packages)' };
  }
  return result;
}
