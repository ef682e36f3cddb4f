import { describe, expect, it } from 'vitest';
import { clamdEndpoints, collectAntivirus, signatureAgeDays } from '../../../../../agent/probes/host/linux/antivirus.js';
import type { ClamdQuery } from '../../../../../agent/probes/host/linux/clamd-client.js';
import { parseClamdConf } from '../../../../../agent/probes/host/linux/clamav-config.js';
import { parseClamdVersion, parseCvdHeader } from '../../../../../agent/probes/host/linux/clamav-db.js';
import { failed, fixture, linuxContext, NOW, ok, PS, psWith, validValue } from './support.js';

const DEBIAN_CONF = fixture('antivirus/clamd.conf-debian12-default');
const HEADER = fixture('antivirus/daily-cud-header-512.txt');

describe('ClamAV parsers', () => {
  it('reads the Debian default clamd.conf', () => {
    expect(parseClamdConf(DEBIAN_CONF)).toEqual({ localSocket: '/var/run/clamav/clamd.ctl', tcpSocket: null, tcpAddrs: [], databaseDirectory: '/var/lib/clamav' });
  });

  it('reads TCPSocket and repeated TCPAddr, ignoring comments', () => {
    expect(parseClamdConf('#TCPSocket 1\nTCPSocket 3310\nTCPAddr 127.0.0.1\nTCPAddr ::1 # both\n')).toMatchObject({ tcpSocket: 3310, tcpAddrs: ['127.0.0.1', '::1'] });
  });

  it('parses the VERSION reply of a clamd with a daily database (real clamd 1.4.6)', () => {
    expect(parseClamdVersion(fixture('antivirus/clamd-version-daily.txt'))).toEqual({
      engine: '1.4.6',
      databaseVersion: '27456',
      databaseDate: new Date(2026, 10, 13, 9, 12, 0),
    });
  });

  it('parses the VERSION reply without a daily database', () => {
    expect(parseClamdVersion(fixture('antivirus/clamd-version-no-daily.txt'))).toEqual({ engine: '1.4.6', databaseVersion: null, databaseDate: null });
    expect(parseClamdVersion('UNKNOWN COMMAND')).toBeNull();
  });

  it('parses a database header, preferring the stime field', () => {
    const header = parseCvdHeader(HEADER);
    expect(header).toMatchObject({ version: '27456', signatures: 1, functionalityLevel: 90, builder: 'basvakt' });
    expect(header?.buildTime.toISOString()).toBe('2026-11-13T09:12:00.000Z');
    // Without stime: the header's own time with its zone.
    expect(parseCvdHeader('ClamAV-VDB:13 Nov 2026 04-12 -0500:27456:1:90:X:X:b')?.buildTime.toISOString()).toBe('2026-11-13T09:12:00.000Z');
    expect(parseCvdHeader('not a header')).toBeNull();
  });

  it('computes the signature age in days', () => {
    expect(signatureAgeDays(new Date('2026-11-13T12:00:00Z'), NOW)).toBe(10);
    expect(signatureAgeDays(new Date('2026-11-24T00:00:00Z'), NOW)).toBe(0);
  });

  it('derives endpoints: options override the config, wildcard TCPAddr means loopback', () => {
    const config = parseClamdConf('LocalSocket /run/clamd.ctl\nTCPSocket 3310\nTCPAddr 0.0.0.0\n');
    expect(clamdEndpoints(config, {})).toEqual([
      { kind: 'unix', path: '/run/clamd.ctl' },
      { kind: 'tcp', host: '127.0.0.1', port: 3310 },
    ]);
    expect(clamdEndpoints(config, { socket: '/tmp/s', tcp: { host: '127.0.0.1', port: 13310 } })).toEqual([
      { kind: 'unix', path: '/tmp/s' },
      { kind: 'tcp', host: '127.0.0.1', port: 13310 },
    ]);
  });
});

const refuse: ClamdQuery = async () => Promise.reject(Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' }));

describe('collectAntivirus', () => {
  it('no ClamAV and no other product: an empty product list is the fact', async () => {
    const c = linuxContext({ [PS]: psWith('sshd'), stat: failed(1, 'stat: cannot statx') }, {}, {}, { clamd: refuse });
    expect(validValue('antivirus', await collectAntivirus(c))).toEqual({ products: [] });
  });

  it('clamd running: the VERSION reply gives version and date', async () => {
    const asked: string[] = [];
    const clamd: ClamdQuery = async (endpoint, command) => {
      asked.push(`${endpoint.kind}:${command}`);
      return fixture('antivirus/clamd-version-daily.txt');
    };
    const c = linuxContext(
      { [PS]: psWith('clamd', 'clamonacc'), stat: ok('1700000000 /usr/sbin/clamd\n') },
      { '/etc/clamav/clamd.conf': DEBIAN_CONF },
      {},
      { clamd },
    );
    const observation = await collectAntivirus(c);
    const [product] = validValue('antivirus', observation).products;
    expect(product).toMatchObject({ name: 'ClamAV 1.4.6', kind: 'clamav', installed: true, running: true, realTimeProtection: true, signatureVersion: '27456' });
    expect(product?.signatureDate).toBe(new Date(2026, 10, 13, 9, 12, 0).toISOString());
    expect(asked).toEqual(['unix:VERSION']);
    expect(observation.source).toContain('clamd VERSION (unix:/var/run/clamav/clamd.ctl)');
  });

  it('clamd stopped: the date comes from the database header, and the source says so', async () => {
    const c = linuxContext(
      {
        [PS]: psWith('sshd'),
        stat: ok('1700000000 /usr/sbin/clamd\n'),
        find: ok('1794561120.0000000000 /var/lib/clamav/daily.cud\n'),
        'head -c 512 /var/lib/clamav/daily.cud': ok(HEADER),
      },
      { '/etc/clamav/clamd.conf': DEBIAN_CONF },
      {},
      { clamd: refuse },
    );
    const observation = await collectAntivirus(c);
    const [product] = validValue('antivirus', observation).products;
    expect(product).toMatchObject({ running: false, realTimeProtection: false, signatureVersion: '27456', signatureDate: '2026-11-13T09:12:00.000Z', signatureAgeDays: 10.12 });
    expect(observation.source).toContain('database header /var/lib/clamav/daily.cud');
  });

  it('no header readable: file mtime as the last resort, named in the source', async () => {
    const c = linuxContext(
      {
        [PS]: psWith(),
        stat: ok('1700000000 /usr/bin/clamscan\n'),
        find: (args) => ok(args.includes('*.ndb') ? '1794000000.5 /var/lib/clamav/local.ndb\n' : ''),
      },
      {},
      {},
      { clamd: refuse },
    );
    const observation = await collectAntivirus(c);
    const [product] = validValue('antivirus', observation).products;
    expect(product?.signatureDate).toBe(new Date(1794000000 * 1000).toISOString());
    expect(product?.signatureVersion).toBeNull();
    expect(observation.source).toContain('mtime of /var/lib/clamav/local.ndb');
  });

  it('installed without any database: no signature date, never a made-up one', async () => {
    const c = linuxContext({ [PS]: psWith(), stat: ok('1700000000 /usr/sbin/clamd\n'), find: ok('') }, { '/etc/clamav/clamd.conf': DEBIAN_CONF }, {}, { clamd: refuse });
    const [product] = validValue('antivirus', await collectAntivirus(c)).products;
    expect(product).toMatchObject({ installed: true, running: false, signatureDate: null, signatureAgeDays: null });
  });

  it('ps failing leaves running unknown instead of false', async () => {
    const c = linuxContext({ [PS]: failed(1, 'ps: error'), stat: ok('1700000000 /usr/sbin/clamd\n'), find: ok('') }, {}, {}, { clamd: refuse });
    const observation = await collectAntivirus(c);
    expect(validValue('antivirus', observation).products[0]).toMatchObject({ running: null, realTimeProtection: null });
    expect(observation.source).toContain('ps failed');
  });

  it('lists other vendors by their daemon', async () => {
    const c = linuxContext({ [PS]: psWith('wdavdaemon'), stat: failed(1, '') }, {}, {}, { clamd: refuse });
    expect(validValue('antivirus', await collectAntivirus(c)).products).toEqual([
      expect.objectContaining({ name: 'Microsoft Defender for Endpoint', kind: 'other', running: true }),
    ]);
  });
});
