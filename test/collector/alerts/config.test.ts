import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertsConfigSchema, resolveAlertPaths } from '../../../collector/alerts/config.js';
import { collectorConfigSchema } from '../../../collector/config/schema.js';

const channels = [{ id: 'hook', kind: 'webhook', url: 'https://siem.kommun.test/hook', secretFile: 'hook.secret' }];

function problems(input: unknown): string[] {
  const result = alertsConfigSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('alerts configuration', () => {
  it('fills defaults: STARTTLS, TLS syslog, 07:00 digest, 3 h silence, new and regressed', () => {
    const config = alertsConfigSchema.parse({
      channels: [
        ...channels,
        { id: 'mail', kind: 'email', host: 'smtp.kommun.test', from: 'basvakt@kommun.test', to: ['it@kommun.test'], username: 'basvakt', passwordFile: 'smtp.pw' },
        { id: 'siem', kind: 'syslog', host: 'siem.kommun.test', caFile: 'ca.pem' },
      ],
      routes: [{ channels: ['hook', 'mail', 'siem'] }],
    });
    expect(config.channels[1]).toMatchObject({ port: 587, security: 'starttls', timeoutSeconds: 15 });
    expect(config.channels[2]).toMatchObject({ port: 6514, transport: 'tls', facility: 'local0' });
    expect(config.routes[0]).toMatchObject({ minSeverity: 'high', on: ['new', 'regressed'] });
    expect(config.digest.time).toBe('07:00');
    expect(config.silentAgents.afterMinutes).toBe(180);
    const resolved = resolveAlertPaths(config, (p) => `/etc/basvakt/${p}`);
    expect(resolved.channels.map((c) => ('secretFile' in c ? c.secretFile : 'passwordFile' in c ? c.passwordFile : c.caFile))).toEqual([
      '/etc/basvakt/hook.secret',
      '/etc/basvakt/smtp.pw',
      '/etc/basvakt/ca.pem',
    ]);
  });

  it('refuses inline secrets, unknown channels, plain http beyond loopback, a username without password file and bad times', () => {
    expect(problems({ channels: [{ ...channels[0], secret: 'hemligt' }], routes: [{ channels: ['hook'] }] }).join('\n')).toMatch(/secret/);
    expect(problems({ channels, routes: [{ channels: ['mail'] }] })).toEqual(['routes.0.channels.0: okänd kanal "mail" (unknown channel)']);
    expect(problems({ channels: [{ ...channels[0], url: 'http://siem.kommun.test/hook' }], routes: [{ channels: ['hook'] }] }).join()).toMatch(/https/);
    expect(problems({ channels: [{ ...channels[0], url: 'http://127.0.0.1:8080/hook' }], routes: [{ channels: ['hook'] }] })).toEqual([]);
    expect(
      problems({ channels: [{ id: 'mail', kind: 'email', host: 'smtp', from: 'a@b.c', to: ['x@y.z'], username: 'u' }], routes: [{ channels: ['mail'] }] }).join(),
    ).toMatch(/passwordFile/);
    expect(problems({ channels: [{ id: 'mail', kind: 'email', host: 'smtp.kommun.test', security: 'none', from: 'a@b.c', to: ['x@y.z'] }], routes: [{ channels: ['mail'] }] }).join()).toMatch(
      /loopback/,
    );
    expect(problems({ channels, routes: [{ channels: ['hook'] }], digest: { time: '7:00' } }).join()).toMatch(/HH:MM/);
    expect(problems({ channels, routes: [{ channels: ['hook'] }], timeZone: 'Europe/Dalsland' }).join()).toMatch(/tidszon/);
  });

  it('is an optional section of the collector configuration', () => {
    expect(collectorConfigSchema.parse({}).alerts).toBeUndefined();
    expect(collectorConfigSchema.parse({ alerts: { channels, routes: [{ channels: ['hook'] }] } }).alerts?.routes).toHaveLength(1);
  });

  it('accepts the commented-out example in config/collector.example.yaml', () => {
    const text = readFileSync(join(import.meta.dirname, '..', '..', '..', 'config', 'collector.example.yaml'), 'utf8');
    const block = text.slice(text.indexOf('# alerts:')).split('\n').map((l) => l.replace(/^# ?/, '')).join('\n');
    const config = alertsConfigSchema.parse((parse(block) as { alerts: unknown }).alerts);
    expect(config.channels.map((c) => c.kind)).toEqual(['webhook', 'email', 'syslog']);
    expect(config.routes.map((r) => r.name)).toEqual(['akut', 'amal-morgon']);
  });
});
