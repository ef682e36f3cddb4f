import { describe, expect, it } from 'vitest';
import { parseAuditctlRules, parseAuditctlStatus } from '../../../../../agent/probes/host/linux/audit.js';
import { parseRsyslogForwarding, parseSyslogNgForwarding } from '../../../../../agent/probes/host/linux/log-forwarding.js';
import { collectLogging } from '../../../../../agent/probes/host/linux/logging.js';
import { failed, fixture, linuxContext, ok, PS, psWith, validValue } from './support.js';

describe('rsyslog forwarding', () => {
  it('rsyslog.conf(5) examples: @host (UDP), omfwd action with bare Port, omrelp', () => {
    // The omfwd example names the same host and port as `*.* @192.168.0.1`: one target.
    expect(parseRsyslogForwarding(fixture('logging/rsyslog-forward-manpage.conf'))).toEqual(['udp://192.168.0.1:514', 'relp://192.168.0.1:2514']);
  });

  it('the Debian default rsyslog.conf forwards nothing', () => {
    expect(parseRsyslogForwarding(fixture('logging/rsyslog.conf-debian12-default'))).toEqual([]);
  });

  it('a receiver config with omfile actions forwards nothing', () => {
    expect(parseRsyslogForwarding(fixture('logging/rsyslog-receiver-test-servers.conf'))).toEqual([]);
  });

  it('@@ is TCP, options and IPv6 are understood, comments are ignored', () => {
    const text = '# *.* @@old.example:514\n*.* @@(z9)logs.kommun.se:6514\nauth.* @[2001:db8::1]:10514\naction(type="omfwd" target="siem.kommun.se" port="6514" protocol="tcp")\n';
    expect(parseRsyslogForwarding(text)).toEqual(['tcp://logs.kommun.se:6514', 'udp://[2001:db8::1]:10514', 'tcp://siem.kommun.se:6514']);
  });
});

describe('syslog-ng forwarding', () => {
  it('syslog-ng.conf(5) example: network() destination, not the network() source', () => {
    expect(parseSyslogNgForwarding(fixture('logging/syslog-ng-network-manpage.conf'))).toEqual(['tcp://10.1.2.3:1999']);
  });

  it('the Debian default syslog-ng.conf forwards nothing (its tcp destination is commented out)', () => {
    expect(parseSyslogNgForwarding(fixture('logging/syslog-ng.conf-debian12-default'))).toEqual([]);
  });
});

describe('auditctl', () => {
  it('status and rules as captured on this machine', () => {
    expect(parseAuditctlStatus(fixture('logging/auditctl-s-enabled.txt'))).toBe(true);
    expect(parseAuditctlStatus(fixture('logging/auditctl-s-disabled.txt'))).toBe(false);
    expect(parseAuditctlRules(fixture('logging/auditctl-l-rules.txt'))).toBe(2);
    expect(parseAuditctlRules(fixture('logging/auditctl-l-none.txt'))).toBe(0);
    expect(() => parseAuditctlStatus(fixture('logging/auditctl-s-not-root.txt'))).toThrow(/enabled/);
  });
});

describe('collectLogging', () => {
  const binaries = ok('1 /usr/sbin/rsyslogd\n1 /usr/sbin/auditd\n');

  it('running rsyslog forwarding over TCP, auditd with rules', async () => {
    const c = linuxContext(
      {
        [PS]: psWith('rsyslogd', 'auditd', 'systemd-journal'),
        stat: binaries,
        find: ok('1700000000.0 /etc/rsyslog.d/60-forward.conf\n'),
        'auditctl -s': ok(fixture('logging/auditctl-s-enabled.txt')),
        'auditctl -l': ok(fixture('logging/auditctl-l-rules.txt')),
      },
      { '/etc/rsyslog.conf': fixture('logging/rsyslog.conf-debian12-default'), '/etc/rsyslog.d/60-forward.conf': fixture('logging/rsyslog-forward-manpage.conf') },
    );
    const value = validValue('logging', await collectLogging(c));
    expect(value.daemons).toEqual([
      { name: 'journald', running: true },
      { name: 'rsyslog', running: true },
      { name: 'auditd', running: true },
    ]);
    expect(value.forwardTargets).toEqual(['udp://192.168.0.1:514', 'relp://192.168.0.1:2514']);
    expect(value.auditEnabled).toBe(true);
  });

  it('installed but stopped daemons forward nothing and audit is off', async () => {
    const c = linuxContext({ [PS]: ok(fixture('processes/ps-debian12-idle.txt')), stat: binaries });
    expect(validValue('logging', await collectLogging(c))).toEqual({
      daemons: [
        { name: 'rsyslog', running: false },
        { name: 'auditd', running: false },
      ],
      forwardTargets: [],
      auditEnabled: false,
    });
  });

  it('auditd running but auditctl refused (not root): audit unknown, not false', async () => {
    const c = linuxContext({ [PS]: psWith('auditd'), stat: binaries, 'auditctl -s': failed(4, 'You must be root to run this program.'), 'auditctl -l': failed(4, '') });
    expect(validValue('logging', await collectLogging(c)).auditEnabled).toBeNull();
  });
});
