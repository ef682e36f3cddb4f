import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Spool, SpoolFullError } from '../../../agent/spool/index.js';
import { sampleReport, tempDir } from './reports.js';

const MB = 1024 * 1024;

describe('spool', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('spool');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const open = (overrides: Partial<Parameters<typeof Spool.open>[0]> = {}) => Spool.open({ directory: dir, maxBytes: 10 * MB, maxReports: 100, ...overrides });

  it('keeps a report across a restart: a new Spool on the same directory lists it', async () => {
    const report = sampleReport();
    const first = await open();
    const entry = await first.put(report);
    expect(entry.file).toMatch(new RegExp(`^\\d{8}T\\d{9}Z-${report.reportId}\\.json$`));
    expect(entry.createdAt).toBe(report.createdAt);

    const second = await open();
    const listed = await second.list();
    expect(listed).toEqual([entry]);
    expect(await second.read(report.reportId)).toEqual(report);
    expect((await stat(join(dir, 'pending', entry.file))).mode & 0o777).toBe(0o600);
  });

  it('lists oldest first, whatever order the reports were put in', async () => {
    const spool = await open();
    const [a, b, c] = [sampleReport(), sampleReport(), sampleReport()];
    await spool.put(c);
    await spool.put(a);
    await spool.put(b);
    expect((await spool.list()).map((e) => e.reportId)).toEqual([a.reportId, b.reportId, c.reportId]);
    expect((await (await open()).list()).map((e) => e.reportId)).toEqual([a.reportId, b.reportId, c.reportId]);
  });

  it('sorts by instant even when createdAt has an offset', async () => {
    const spool = await open();
    const later = sampleReport({ createdAt: '2026-11-23T06:00:00.000+01:00' }); // 05:00Z
    const earlier = sampleReport({ createdAt: '2026-11-23T04:30:00.000Z' });
    await spool.put(later);
    await spool.put(earlier);
    expect((await spool.list()).map((e) => e.reportId)).toEqual([earlier.reportId, later.reportId]);
  });

  it('put is idempotent for the same report id', async () => {
    const spool = await open();
    const report = sampleReport();
    await spool.put(report);
    await spool.put(report);
    expect(await spool.list()).toHaveLength(1);
  });

  it('remove deletes the file for good', async () => {
    const spool = await open();
    const report = sampleReport();
    await spool.put(report);
    expect(await spool.remove(report.reportId)).toBe(true);
    expect(await spool.remove(report.reportId)).toBe(false);
    expect(await readdir(join(dir, 'pending'))).toEqual([]);
    expect(await (await open()).list()).toEqual([]);
  });

  it('reject moves the report to rejected/ with the reason beside it', async () => {
    const spool = await open();
    const report = sampleReport();
    const entry = await spool.put(report);
    await spool.reject(report.reportId, 'HTTP 422: targets[0].facts[0].value.hostname: saknas');
    expect(await spool.list()).toEqual([]);
    expect(await readdir(join(dir, 'rejected'))).toEqual([entry.file, `${entry.file}.reason.txt`].sort());
    expect(JSON.parse(await readFile(join(dir, 'rejected', entry.file), 'utf8'))).toEqual(report);
    expect(await readFile(join(dir, 'rejected', `${entry.file}.reason.txt`), 'utf8')).toContain('HTTP 422: targets[0].facts[0].value.hostname: saknas');
    expect(spool.usage()).toMatchObject({ pending: 0, rejected: 1 });
    expect((await open()).usage()).toMatchObject({ pending: 0, rejected: 1, bytes: entry.bytes });
  });

  it('cleans leftovers in tmp/ from a crash at open, and does not list them', async () => {
    const spool = await open();
    const kept = sampleReport();
    await spool.put(kept);
    // A crash between write and rename leaves a (possibly half-written) file in tmp/.
    await writeFile(join(dir, 'tmp', `${sampleReport().reportId}.json`), '{"schemaVersion":1,"repo');
    const reopened = await open();
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
    expect((await reopened.list()).map((e) => e.reportId)).toEqual([kept.reportId]);
  });

  it('moves corrupt files in pending/ to rejected/ with a reason at open', async () => {
    const spool = await open();
    const good = sampleReport();
    await spool.put(good);
    const broken = sampleReport();
    const brokenName = `20261123T040000000Z-${broken.reportId}.json`;
    await writeFile(join(dir, 'pending', brokenName), '{"schemaVersion":1,"reportId":"');
    const mismatched = sampleReport();
    const mismatchedName = `20261123T040001000Z-${mismatched.reportId}.json`;
    await writeFile(join(dir, 'pending', mismatchedName), JSON.stringify({ ...mismatched, reportId: good.reportId }));
    await writeFile(join(dir, 'pending', 'notes.txt'), 'hej');

    const reopened = await open();
    expect((await reopened.list()).map((e) => e.reportId)).toEqual([good.reportId]);
    const rejected = await readdir(join(dir, 'rejected'));
    expect(rejected.sort()).toEqual(
      [brokenName, `${brokenName}.reason.txt`, mismatchedName, `${mismatchedName}.reason.txt`, 'notes.txt', 'notes.txt.reason.txt'].sort(),
    );
    expect(await readFile(join(dir, 'rejected', `${brokenName}.reason.txt`), 'utf8')).toContain('inte giltig JSON');
    expect(await readFile(join(dir, 'rejected', `${mismatchedName}.reason.txt`), 'utf8')).toContain('stämmer inte med filnamnet');
  });

  it('a file damaged after open is moved aside on read instead of blocking the queue', async () => {
    const spool = await open();
    const [a, b] = [sampleReport(), sampleReport()];
    const entryA = await spool.put(a);
    await spool.put(b);
    await writeFile(join(dir, 'pending', entryA.file), 'garbage');
    expect(await spool.read(a.reportId)).toBeUndefined();
    expect((await spool.list()).map((e) => e.reportId)).toEqual([b.reportId]);
    expect(await readdir(join(dir, 'rejected'))).toContain(entryA.file);
  });

  it('refuses the newest report when maxReports is reached, keeping the rest untouched', async () => {
    const spool = await open({ maxReports: 2 });
    const [a, b, c] = [sampleReport(), sampleReport(), sampleReport()];
    await spool.put(a);
    await spool.put(b);
    const error = await spool.put(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpoolFullError);
    expect((error as SpoolFullError).reason).toBe('reports');
    expect((error as Error).message).toContain('Spoolen är full');
    expect((error as Error).message).toContain('spool.maxReports = 2');
    expect((await spool.list()).map((e) => e.reportId)).toEqual([a.reportId, b.reportId]);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
    expect(await readdir(join(dir, 'pending'))).toHaveLength(2);
  });

  it('refuses the newest report when maxBytes would be exceeded; rejected reports count', async () => {
    const size = Buffer.byteLength(JSON.stringify(sampleReport()));
    const spool = await open({ maxBytes: size * 2 + 10 });
    const [a, b, c] = [sampleReport(), sampleReport(), sampleReport()];
    await spool.put(a);
    await spool.put(b);
    await spool.reject(a.reportId, 'test');
    const error = (await spool.put(c).catch((e: unknown) => e)) as SpoolFullError;
    expect(error).toBeInstanceOf(SpoolFullError);
    expect(error.reason).toBe('bytes');
    expect(error.message).toContain('rejected');
    expect((await spool.list()).map((e) => e.reportId)).toEqual([b.reportId]);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });

  it('refuses a report larger than the whole spool', async () => {
    const spool = await open({ maxBytes: 100 });
    await expect(spool.put(sampleReport())).rejects.toMatchObject({ name: 'SpoolFullError', reason: 'too-large' });
  });

  it('turns ENOSPC into SpoolFullError and removes the half-written tmp file', async () => {
    const spool = await open({
      io: {
        async writeFileDurably(path, data) {
          await writeFile(path, data.slice(0, 20)); // part of it made it to disk
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
      },
    });
    const error = (await spool.put(sampleReport()).catch((e: unknown) => e)) as SpoolFullError;
    expect(error).toBeInstanceOf(SpoolFullError);
    expect(error.reason).toBe('disk');
    expect(error.message).toContain('disken är full (ENOSPC)');
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
    expect(await readdir(join(dir, 'pending'))).toEqual([]);
    expect(await spool.list()).toEqual([]);
  });

  it('makes put durable before it resolves: file fsynced, then renamed, then the directory fsynced', async () => {
    const calls: string[] = [];
    const spool = await open({
      io: {
        async writeFileDurably(path, data) {
          await writeFile(path, data);
          calls.push(`file ${path.includes('/tmp/') ? 'tmp' : 'other'}`);
        },
        async syncDirectory(path) {
          calls.push(`dir ${path.endsWith('pending') ? 'pending' : path}`);
        },
      },
    });
    await spool.put(sampleReport());
    expect(calls).toEqual(['file tmp', 'dir pending']);
  });

  it('refuses a report id that is not a UUID (it becomes a file name)', async () => {
    const spool = await open();
    await expect(spool.put(sampleReport({ reportId: '../../etc/passwd' }))).rejects.toThrow(TypeError);
  });
});
