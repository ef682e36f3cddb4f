import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { silentLogger } from '../../common/logger.js';
import type { Fact, Report } from '../../report/schema.js';
import { acknowledge, recordDrop, summarize, takeSnapshot, type DropLedgerState } from './drops.js';
import { DropLedgerFile } from './drops-file.js';
import { SpoolFullError } from './errors.js';
import { nodeSpoolIo, type SpoolIo } from './fs.js';

export interface SpoolOptions {
  directory: string;
  /** Upper bound on the bytes of all report files the spool holds (pending and rejected). */
  maxBytes: number;
  /** Upper bound on the number of reports the spool holds (pending and rejected). */
  maxReports: number;
  logger?: Logger;
  now?: () => Date;
  /** Replaced in tests to simulate a full disk. */
  io?: Partial<SpoolIo>;
}

export interface SpoolEntry {
  reportId: string;
  /** File name inside `pending/`. */
  file: string;
  /** When the report was created, as encoded in the file name (UTC, ISO 8601). */
  createdAt: string;
  bytes: number;
}

export interface SpoolUsage {
  pending: number;
  rejected: number;
  bytes: number;
  maxReports: number;
  maxBytes: number;
}

/** The host fact in which the agent reports on its spool (report/facts/host.ts). */
export const AGENT_SPOOL_FACT = 'agentSpool';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const PENDING_NAME = /^(\d{8}T\d{9}Z)-([0-9a-fA-F-]{36})\.json$/;
const REASON_SUFFIX = '.reason.txt';

/**
 * A directory of reports waiting for the collector, so that nothing is lost while the
 * collector is away or the agent restarts.
 *
 *   tmp/        half-written files; removed at open (a crash mid-write leaves them)
 *   pending/    <createdAt UTC, sortable>-<reportId>.json, durable before put() resolves
 *   rejected/   reports the collector refused for good, each with a .reason.txt, for a human
 *   drops.json  the reports refused since the collector was last told (drops-file.ts)
 *
 * When the spool is full — the disk (ENOSPC), spool.maxBytes or spool.maxReports — put()
 * refuses the *newest* report with a SpoolFullError and keeps everything already spooled.
 * The older reports are history that cannot be collected again; the newest state can, at
 * the next scheduled run once the collector is back. Dropping the oldest would silently
 * rewrite history. A refused put is logged as an error and counted in drops.json, and
 * the next report that fits carries the count to the collector as the host fact
 * `agentSpool` (agentSpoolFact()); rule BV-AGT-001 fails on it. The bound covers rejected
 * reports too, so that a collector refusing everything cannot fill the host's disk.
 *
 * One Spool instance owns its directory; operations are serialized.
 */
export class Spool {
  private readonly pending = new Map<string, SpoolEntry>();
  /** Pending reports that carry the agentSpool fact, with the droppedTotal they tell. */
  private readonly carriers = new Map<string, number>();
  private drops!: DropLedgerState;
  private dropsFile!: DropLedgerFile;
  private rejectedCount = 0;
  private rejectedBytes = 0;
  private pendingBytes = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly io: SpoolIo;
  private readonly logger: Logger;
  private readonly now: () => Date;

  private constructor(private readonly options: SpoolOptions) {
    this.io = { ...nodeSpoolIo, ...options.io };
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
  }

  static async open(options: SpoolOptions): Promise<Spool> {
    const spool = new Spool(options);
    await spool.init();
    return spool;
  }

  get directory(): string {
    return this.options.directory;
  }

  private dir(kind: 'tmp' | 'pending' | 'rejected' | 'drops.json'): string {
    return join(this.options.directory, kind);
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async init(): Promise<void> {
    for (const kind of ['tmp', 'pending', 'rejected'] as const) await mkdir(this.dir(kind), { recursive: true, mode: 0o700 });
    ({ file: this.dropsFile, state: this.drops } = await DropLedgerFile.open(this.dir('drops.json'), this.logger));

    const leftovers = await readdir(this.dir('tmp'));
    for (const name of leftovers) await rm(join(this.dir('tmp'), name), { recursive: true, force: true });
    if (leftovers.length > 0) {
      this.logger.warn({ files: leftovers.length }, 'Spool: tog bort halvskrivna filer från ett avbrott (removed leftovers of an interrupted write)');
    }

    for (const name of await readdir(this.dir('rejected'))) {
      if (name.endsWith(REASON_SUFFIX)) continue;
      this.rejectedCount += 1;
      this.rejectedBytes += (await stat(join(this.dir('rejected'), name))).size;
    }

    for (const name of (await readdir(this.dir('pending'))).sort()) {
      const path = join(this.dir('pending'), name);
      const info = await stat(path);
      if (!info.isFile()) continue;
      const match = PENDING_NAME.exec(name);
      if (!match) {
        await this.moveToRejected(name, `okänt filnamn i spoolen (unexpected file name): ${name}`, info.size);
        continue;
      }
      const parsed = parsePending(await readFile(path, 'utf8').catch((e: Error) => e), match[2]!);
      if ('problem' in parsed) {
        await this.moveToRejected(name, parsed.problem, info.size);
        continue;
      }
      this.addPending({ reportId: match[2]!.toLowerCase(), file: name, createdAt: fromSortable(match[1]!), bytes: info.size });
      this.noteCarrier(match[2]!.toLowerCase(), parsed.report);
    }
    if (this.pending.size > 0) this.logger.info({ pending: this.pending.size }, 'Spool: rapporter väntar på att skickas (reports waiting to be sent)');
  }

  /** Writes the report durably into pending/. Throws SpoolFullError when it does not fit. */
  put(report: Report): Promise<SpoolEntry> {
    return this.exclusive(async () => {
      if (typeof report.reportId !== 'string' || !UUID.test(report.reportId)) {
        throw new TypeError(`reportId måste vara ett UUID (reportId must be a UUID): ${String(report.reportId)}`);
      }
      const reportId = report.reportId.toLowerCase();
      const existing = this.pending.get(reportId);
      if (existing) return { ...existing };

      const data = JSON.stringify(report);
      const bytes = Buffer.byteLength(data, 'utf8');
      try {
        this.checkRoom(bytes);
      } catch (error) {
        await this.recordDrop(error);
        throw error;
      }

      const created = new Date(report.createdAt);
      const createdAt = Number.isNaN(created.getTime()) ? this.now() : created;
      const file = `${toSortable(createdAt)}-${reportId}.json`;
      const tmp = join(this.dir('tmp'), `${reportId}.json`);
      try {
        await this.io.writeFileDurably(tmp, data);
        await rename(tmp, join(this.dir('pending'), file));
        await this.io.syncDirectory(this.dir('pending'));
      } catch (error) {
        await rm(tmp, { force: true }).catch(() => undefined);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOSPC' || code === 'EDQUOT') {
          const full = new SpoolFullError(
            'disk',
            `Spoolen kunde inte spara rapporten: disken är full (${code}) i ${this.options.directory}. Den nya rapporten sparades inte; äldre rapporter behålls. (spool: no space left on device)`,
            error,
          );
          await this.recordDrop(full);
          throw full;
        }
        throw error;
      }
      const entry: SpoolEntry = { reportId, file, createdAt: createdAt.toISOString(), bytes };
      this.addPending(entry);
      this.noteCarrier(reportId, report);
      return { ...entry };
    });
  }

  /** Pending reports, oldest first. */
  list(): Promise<SpoolEntry[]> {
    return this.exclusive(async () => [...this.pending.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)).map((e) => ({ ...e })));
  }

  /**
   * Reads a pending report. A file that is no longer a report (damaged on disk, edited by
   * hand) is moved to rejected/ and undefined returned, so it cannot block the queue.
   */
  read(reportId: string): Promise<Report | undefined> {
    return this.exclusive(async () => {
      const entry = this.pending.get(reportId.toLowerCase());
      if (!entry) return undefined;
      let text: string;
      try {
        text = await readFile(join(this.dir('pending'), entry.file), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        this.dropPending(entry);
        this.logger.warn({ reportId }, 'Spool: rapportfilen har försvunnit (report file disappeared)');
        return undefined;
      }
      const parsed = parsePending(text, entry.reportId);
      if ('problem' in parsed) {
        this.dropPending(entry);
        await this.moveToRejected(entry.file, parsed.problem, entry.bytes);
        return undefined;
      }
      return parsed.report;
    });
  }

  /** Removes a report the collector has acknowledged. */
  remove(reportId: string): Promise<boolean> {
    return this.exclusive(async () => {
      const entry = this.pending.get(reportId.toLowerCase());
      if (!entry) return false;
      const told = this.carriers.get(entry.reportId);
      await rm(join(this.dir('pending'), entry.file), { force: true });
      await this.io.syncDirectory(this.dir('pending'));
      this.dropPending(entry);
      // The collector has the report, so it knows of every drop counted in its fact.
      if (told !== undefined) await this.updateDrops(acknowledge(this.drops, told));
      return true;
    });
  }

  /** Moves a report the collector refused for good to rejected/, with the reason beside it. */
  reject(reportId: string, reason: string): Promise<boolean> {
    return this.exclusive(async () => {
      const entry = this.pending.get(reportId.toLowerCase());
      if (!entry) return false;
      this.dropPending(entry);
      await this.moveToRejected(entry.file, reason, entry.bytes);
      return true;
    });
  }

  /**
   * The host fact `agentSpool` for a report about to be put: how many reports were refused
   * since the collector last received this fact, when, and why, and how full the spool is.
   */
  agentSpoolFact(now: Date): Promise<Fact> {
    return this.exclusive(async () => {
      if (this.drops.snapshot !== this.drops.dropped) await this.updateDrops(takeSnapshot(this.drops));
      const summary = summarize(this.drops);
      const usage = this.usage();
      return {
        name: AGENT_SPOOL_FACT,
        status: 'ok',
        source: `basvakt-agentens spool ${this.options.directory}`,
        collectedAt: now.toISOString(),
        value: {
          status: summary.droppedReports > 0 ? 'dropped' : 'ok',
          ...summary,
          pendingReports: usage.pending,
          maxReports: usage.maxReports,
          bytesUsed: usage.bytes,
          maxBytes: usage.maxBytes,
        },
      };
    });
  }

  usage(): SpoolUsage {
    return {
      pending: this.pending.size,
      rejected: this.rejectedCount,
      bytes: this.pendingBytes + this.rejectedBytes,
      maxReports: this.options.maxReports,
      maxBytes: this.options.maxBytes,
    };
  }

  private checkRoom(bytes: number): void {
    const { maxBytes, maxReports } = this.options;
    const count = this.pending.size + this.rejectedCount;
    const used = this.pendingBytes + this.rejectedBytes;
    const kept = 'Den nya rapporten sparades inte; äldre rapporter behålls.';
    const rejectedNote =
      this.rejectedCount > 0
        ? ` Varav ${this.rejectedCount} avvisade i ${this.dir('rejected')} som behöver granskas och tas bort.`
        : ' Kontrollera att insamlaren går att nå.';
    if (bytes > maxBytes) {
      throw new SpoolFullError('too-large', `Rapporten (${bytes} byte) är större än hela spoolens gräns spool.maxBytes = ${maxBytes}. ${kept} (report larger than the spool limit)`);
    }
    if (count + 1 > maxReports) {
      throw new SpoolFullError('reports', `Spoolen är full: ${count} rapporter (gräns spool.maxReports = ${maxReports}). ${kept}${rejectedNote} (spool full: newest report refused)`);
    }
    if (used + bytes > maxBytes) {
      throw new SpoolFullError('bytes', `Spoolen är full: ${used} av ${maxBytes} byte används (spool.maxBytes). ${kept}${rejectedNote} (spool full: newest report refused)`);
    }
  }

  private async recordDrop(error: unknown): Promise<void> {
    if (!(error instanceof SpoolFullError)) return;
    await this.updateDrops(recordDrop(this.drops, this.now(), error.reason, error.message));
    const { droppedReports } = summarize(this.drops);
    this.logger.error({ reason: error.reason, droppedReports }, `Spool: ${droppedReports} rapport(er) kastade sedan insamlaren senast fick veta det (reports dropped since last reported)`);
  }

  private async updateDrops(state: DropLedgerState): Promise<void> {
    if (state === this.drops) return;
    this.drops = state;
    await this.dropsFile.write(state);
  }

  /** Remembers that a spooled report tells the collector of the drops up to its droppedTotal. */
  private noteCarrier(reportId: string, report: Report): void {
    let told: number | undefined;
    for (const target of report.targets ?? []) {
      for (const fact of target.facts ?? []) {
        const total = fact.name === AGENT_SPOOL_FACT && fact.status === 'ok' ? (fact.value as { droppedTotal?: unknown } | null)?.droppedTotal : undefined;
        if (typeof total === 'number' && Number.isInteger(total) && total > 0) told = Math.max(told ?? 0, total);
      }
    }
    if (told !== undefined) this.carriers.set(reportId, told);
  }

  private addPending(entry: SpoolEntry): void {
    this.pending.set(entry.reportId, entry);
    this.pendingBytes += entry.bytes;
  }

  private dropPending(entry: SpoolEntry): void {
    if (this.pending.delete(entry.reportId)) this.pendingBytes -= entry.bytes;
    this.carriers.delete(entry.reportId);
  }

  private async moveToRejected(file: string, reason: string, bytes: number): Promise<void> {
    const target = join(this.dir('rejected'), file);
    await writeFile(`${target}${REASON_SUFFIX}`, `${this.now().toISOString()}\n${reason}\n`, { mode: 0o600 });
    await rename(join(this.dir('pending'), file), target);
    await this.io.syncDirectory(this.dir('rejected'));
    await this.io.syncDirectory(this.dir('pending'));
    this.rejectedCount += 1;
    this.rejectedBytes += bytes;
    this.logger.error({ file: target, reason }, 'Spool: rapporten flyttades till rejected/ och skickas inte igen (report moved to rejected/)');
  }
}

/** The report in a pending file's text, or why the text is not the report its name promises. */
function parsePending(text: string | Error, reportId: string): { report: Report } | { problem: string } {
  if (text instanceof Error) return { problem: `filen kan inte läsas (cannot be read): ${text.message}` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `filen är inte giltig JSON (not valid JSON): ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'filen innehåller ingen rapport (not a report object)' };
  const id = (value as { reportId?: unknown }).reportId;
  if (typeof id !== 'string' || id.toLowerCase() !== reportId.toLowerCase()) {
    return { problem: `rapportens reportId (${String(id)}) stämmer inte med filnamnet (${reportId}) (reportId does not match the file name)` };
  }
  // Only the envelope is checked here; whether the report is valid is the collector's call.
  return { report: value as Report };
}

/** 2026-11-23T04:42:13.123Z → 20261123T044213123Z: fixed width, so names sort by time. */
function toSortable(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

function fromSortable(value: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(value);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : value;
}
