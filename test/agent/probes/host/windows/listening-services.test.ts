import { describe, expect, it } from 'vitest';
import { parseListeningEndpoints, parseNetstat } from '../../../../../agent/probes/host/windows/listening-services.js';
import { classifyPort } from '../../../../../report/well-known-ports.js';
import { expectValidFact, fixture } from './fixtures.js';

describe('parseNetstat', () => {
  const sockets = parseNetstat(fixture('listeningServices/netstat-ano-win10.txt'));
  const tcp = sockets.filter((s) => s.protocol === 'tcp');

  it('keeps only listening TCP sockets (real, trimmed)', () => {
    expect(tcp).toHaveLength(39);
    expect(tcp.some((s) => s.port === 1031)).toBe(false); // ESTABLISHED
    expect(tcp.find((s) => s.address === '0.0.0.0' && s.port === 445)).toEqual({
      protocol: 'tcp',
      address: '0.0.0.0',
      port: 445,
      process: null,
      pid: 4,
      // Service names come from the shared port table; only the mapping through it is tested here.
      ...classifyPort('tcp', 445),
      loopbackOnly: false,
    });
    expect(tcp.find((s) => s.port === 139 && s.address === '192.168.31.221')?.pid).toBe(4);
  });

  it('marks loopback listeners and reads IPv6 addresses (real, trimmed)', () => {
    expect(tcp.find((s) => s.port === 5939)).toMatchObject({ address: '127.0.0.1', loopbackOnly: true, pid: 7340 });
    expect(tcp.find((s) => s.address === '::1' && s.port === 8307)).toMatchObject({ loopbackOnly: true, pid: 9396 });
    expect(tcp.find((s) => s.address === '::' && s.port === 135)).toMatchObject({ loopbackOnly: false, pid: 1712 });
  });

  it('reads UDP endpoints, drops duplicate lines and the zone index (real, trimmed)', () => {
    const udp = sockets.filter((s) => s.protocol === 'udp');
    expect(udp.filter((s) => s.address === '0.0.0.0' && s.port === 53)).toHaveLength(1);
    expect(udp.filter((s) => s.address === '0.0.0.0' && s.port === 5353).map((s) => s.pid)).toEqual([14156, 27696, 3404]);
    expect(udp.find((s) => s.port === 52284)).toMatchObject({ address: 'fe80::f5d1:8bf7:c410:e325', pid: 8844 });
    expectValidFact('listeningServices', { sockets });
  });

  it('does not depend on the translated state column', () => {
    // Inline input: a German netstat line ("ABHÖREN" = LISTENING).
    const german = '\r\nAktive Verbindungen\r\n\r\n  Proto  Lokale Adresse         Remoteadresse          Status           PID\r\n  TCP    0.0.0.0:23             0.0.0.0:0              ABHÖREN         812\r\n';
    expect(parseNetstat(german)).toEqual([
      { protocol: 'tcp', address: '0.0.0.0', port: 23, process: null, pid: 812, service: 'telnet', cleartext: true, loopbackOnly: false },
    ]);
  });

  it('refuses output without any socket line', () => {
    expect(() => parseNetstat('The requested operation requires elevation.')).toThrow(/no TCP or UDP lines/);
  });
});

describe('parseListeningEndpoints', () => {
  it('classifies services and reads the wrapped UDP list (constructed)', () => {
    const sockets = parseListeningEndpoints(fixture('listeningServices/constructed-endpoints-ps51.json'));
    expect(sockets.map((s) => `${s.protocol}/${s.address}/${s.port}/${s.loopbackOnly}/${s.process}/${s.pid}`)).toEqual([
      'tcp/0.0.0.0/3389/false/svchost/1204',
      'tcp/0.0.0.0/23/false/tlntsvr/5120',
      'tcp/::/445/false/System/4',
      'tcp/127.0.0.1/5939/true/TeamViewer_Service/7340',
      'udp/0.0.0.0/161/false/snmp/2960',
      'udp/0.0.0.0/123/false/svchost/1388',
    ]);
    for (const s of sockets) expect({ service: s.service, cleartext: s.cleartext }).toEqual(classifyPort(s.protocol, s.port));
    expect(sockets.find((s) => s.port === 23)).toMatchObject({ service: 'telnet', cleartext: true });
    expect(sockets.find((s) => s.port === 161)).toMatchObject({ service: 'snmp', cleartext: true });
    expectValidFact('listeningServices', { sockets });
  });

  it('reads a single Get-NetTCPConnection object (constructed)', () => {
    const sockets = parseListeningEndpoints(fixture('listeningServices/constructed-nettcpconnection-single.json'));
    expect(sockets).toEqual([{ protocol: 'tcp', address: '0.0.0.0', port: 21, process: null, pid: 3016, service: 'ftp', cleartext: true, loopbackOnly: false }]);
  });

  it('skips connections that are not listening in a plain Get-NetTCPConnection list', () => {
    const sockets = parseListeningEndpoints('[{"LocalAddress":"10.0.0.5","LocalPort":50000,"State":5,"OwningProcess":1},{"LocalAddress":"0.0.0.0","LocalPort":80,"State":"Listen","OwningProcess":4}]');
    expect(sockets.map((s) => s.port)).toEqual([80]);
  });

  it('rejects endpoints without a port', () => {
    expect(() => parseListeningEndpoints('{"Tcp":[{"LocalAddress":"0.0.0.0"}],"Udp":[]}')).toThrow(/LocalPort/);
  });
});
