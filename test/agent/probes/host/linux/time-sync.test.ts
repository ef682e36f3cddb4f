import { describe, expect, it } from 'vitest';
import { collectTimeSync } from '../../../../../agent/probes/host/linux/time-sync.js';
import { parseChronycTracking, parseNtpqPeers, parseSystemdDuration, parseTimesyncStatus } from '../../../../../agent/probes/host/linux/time-sync-parsers.js';
import { failed, fixture, linuxContext, ok, PS, psWith, validValue } from './support.js';

describe('chronyc -n tracking (chronyd 4.3 run on loopback)', () => {
  it('synchronised to a server', () => {
    expect(parseChronycTracking(fixture('timeSync/chronyc-n-tracking-synced-loopback.txt'))).toEqual({
      synchronized: true,
      offsetSeconds: 0.000002184,
      source: '127.0.0.1',
      stratum: 9,
    });
  });

  it('not synchronised yet', () => {
    expect(parseChronycTracking(fixture('timeSync/chronyc-n-tracking-unsynchronised.txt'))).toEqual({ synchronized: false, offsetSeconds: null, source: null, stratum: null });
  });

  it('serving its own clock (local stratum) names the local clock as source', () => {
    expect(parseChronycTracking(fixture('timeSync/chronyc-n-tracking-local-stratum.txt'))).toMatchObject({ synchronized: true, source: 'local clock', stratum: 8 });
  });

  it('"506 Cannot talk to daemon" is not tracking output', () => {
    expect(() => parseChronycTracking(fixture('timeSync/chronyc-n-tracking-no-daemon.txt'))).toThrow(/Reference ID/);
  });
});

describe('timedatectl timesync-status', () => {
  it('jc test fixture: offset in ms, server stratum 1 means host stratum 2', () => {
    expect(parseTimesyncStatus(fixture('timeSync/timedatectl-timesync-status-jc.txt'))).toEqual({ synchronized: true, offsetSeconds: -0.005224, source: 'time.google.com', stratum: 2 });
  });

  it('systemd man page example: offset in µs', () => {
    const state = parseTimesyncStatus(fixture('timeSync/timedatectl-timesync-status-manpage.txt'));
    expect(state.offsetSeconds).toBeCloseTo(0.000316, 9);
    expect(state.source).toBe('time4.google.com');
  });

  it('durations', () => {
    expect(parseSystemdDuration('+316us')).toBeCloseTo(0.000316, 9);
    expect(parseSystemdDuration('0')).toBe(0);
    expect(parseSystemdDuration('n/a')).toBeNull();
  });
});

describe('ntpq -pn (jc test fixture, CentOS 7)', () => {
  it('the * peer is the source; offset ms to s; host stratum is peer + 1', () => {
    expect(parseNtpqPeers(fixture('timeSync/ntpq-pn-centos7-jc.txt'))).toEqual({ synchronized: true, offsetSeconds: 0.000231, source: '72.5.72.15', stratum: 3 });
  });

  it('no * peer: not synchronised', () => {
    const text = fixture('timeSync/ntpq-pn-centos7-jc.txt').replace('*72.5', '+72.5');
    expect(parseNtpqPeers(text).synchronized).toBe(false);
  });
});

describe('collectTimeSync', () => {
  it('no time daemon running: service none, not synchronised', async () => {
    const value = validValue('timeSync', await collectTimeSync(linuxContext({ [PS]: ok(fixture('processes/ps-debian12-idle.txt')) })));
    expect(value).toEqual({ service: 'none', synchronized: false, offsetSeconds: null, source: null, stratum: null });
  });

  it('chronyd running', async () => {
    const c = linuxContext({ [PS]: psWith('chronyd'), 'chronyc -n tracking': ok(fixture('timeSync/chronyc-n-tracking-synced-loopback.txt')) });
    expect(validValue('timeSync', await collectTimeSync(c))).toMatchObject({ service: 'chrony', synchronized: true, stratum: 9 });
  });

  it('systemd-timesyncd (comm truncated to 15 characters) and ntpd', async () => {
    const timesyncd = linuxContext({ [PS]: psWith('systemd-timesyn'), 'timedatectl timesync-status': ok(fixture('timeSync/timedatectl-timesync-status-jc.txt')) });
    expect(validValue('timeSync', await collectTimeSync(timesyncd)).service).toBe('systemd-timesyncd');
    const ntpd = linuxContext({ [PS]: psWith('ntpd'), 'ntpq -pn': ok(fixture('timeSync/ntpq-pn-centos7-jc.txt')) });
    expect(validValue('timeSync', await collectTimeSync(ntpd)).service).toBe('ntpd');
  });

  it('chronyd running but chronyc failing is an error with the daemon reply', async () => {
    const c = linuxContext({ [PS]: psWith('chronyd'), 'chronyc -n tracking': failed(1, '', '506 Cannot talk to daemon\n') });
    await expect(collectTimeSync(c)).rejects.toThrow(/506 Cannot talk to daemon/);
  });

  it('timedatectl without systemd is an error, not "unsynchronised"', async () => {
    const c = linuxContext({ [PS]: psWith('systemd-timesyn'), 'timedatectl timesync-status': failed(1, 'System has not been booted with systemd as init system (PID 1). Can\'t operate.') });
    await expect(collectTimeSync(c)).rejects.toThrow(/not been booted with systemd/);
  });

  it('no process list: error', async () => {
    await expect(collectTimeSync(linuxContext({}))).rejects.toThrow(/ps is not installed/);
  });
});
