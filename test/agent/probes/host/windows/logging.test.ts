import { describe, expect, it } from 'vitest';
import {
  AUDIT_CREDENTIAL_VALIDATION,
  AUDIT_LOGON,
  auditEnabledFrom,
  loggingValue,
  parseAuditpolCsv,
  parseEventLogStatus,
} from '../../../../../agent/probes/host/windows/logging.js';
import { expectValidFact, fixture } from './fixtures.js';

describe('parseAuditpolCsv', () => {
  it('reads the numeric settings of a German auditpol /backup by GUID (real)', () => {
    const settings = parseAuditpolCsv(fixture('logging/auditpol-backup-ws2022-de.csv'));
    expect(settings.size).toBe(60);
    expect(settings.get(AUDIT_LOGON)).toBe('both'); // "Anmelden", Erfolg und Fehler
    expect(settings.get(AUDIT_CREDENTIAL_VALIDATION)).toBe('success'); // "Überprüfung der Anmeldeinformationen"
    expect(settings.get('{0cce9245-69ae-11d9-bed3-505054503030}')).toBe('failure'); // Wechselmedien
    expect(settings.get('{0cce922b-69ae-11d9-bed3-505054503030}')).toBe('none'); // Prozesserstellung
    expect(auditEnabledFrom(settings)).toBe(true);
  });

  it('reads the English settings of auditpol /get /r (real)', () => {
    const settings = parseAuditpolCsv(fixture('logging/auditpol-get-r-ws2025.csv'));
    expect(settings.size).toBe(60);
    expect(settings.get(AUDIT_LOGON)).toBe('both');
    expect(settings.get(AUDIT_CREDENTIAL_VALIDATION)).toBe('success');
    expect(settings.get('{0cce9217-69ae-11d9-bed3-505054503030}')).toBe('failure'); // Account Lockout
    expect(auditEnabledFrom(settings)).toBe(true);
  });

  it('reports audit off when Credential Validation is not audited', () => {
    const csv = fixture('logging/auditpol-backup-ws2022-de.csv').replace(/(\{0CCE923F-69AE-11D9-BED3-505054503030\},)Erfolg,,1/, '$1Keine Überwachung,,0');
    expect(auditEnabledFrom(parseAuditpolCsv(csv))).toBe(false);
  });

  it('leaves audit unknown when the settings cannot be read, never on', () => {
    // Translated /get /r output has no number column: the settings stay unknown.
    const translated = fixture('logging/auditpol-backup-ws2022-de.csv').replace(/,(\d)\r?$/gm, '');
    expect(auditEnabledFrom(parseAuditpolCsv(translated))).toBeNull();
    expect(auditEnabledFrom(new Map([[AUDIT_LOGON, 'both']]))).toBeNull();
  });

  it('refuses output without any subcategory', () => {
    expect(() => parseAuditpolCsv('Error 0x00000522 occurred:\r\nA required privilege is not held by the client.\r\n')).toThrow(/no audit subcategories/);
  });
});

describe('parseEventLogStatus', () => {
  it('reads a running event log and the WEF collectors (constructed)', () => {
    const status = parseEventLogStatus(fixture('logging/constructed-eventlog-wef.json'));
    expect(status).toEqual({
      running: true,
      forwardTargets: ['http://wec01.ad.kommun.se:5985/wsman/SubscriptionManager/WEC', 'https://wec02.ad.kommun.se:5986/wsman/SubscriptionManager/WEC'],
    });
    const value = loggingValue(status, true);
    expect(value).toEqual({ daemons: [{ name: 'eventlog', running: true }], forwardTargets: status.forwardTargets, auditEnabled: true });
    expectValidFact('logging', value);
  });

  it('reads a stopped event log without forwarding (constructed, empty collection as "")', () => {
    const status = parseEventLogStatus(fixture('logging/constructed-eventlog-stopped-no-wef.json'));
    expect(status).toEqual({ running: false, forwardTargets: [] });
    expectValidFact('logging', loggingValue(status, null));
  });

  it('refuses output where the service is missing', () => {
    expect(() => parseEventLogStatus('{"EventLog":null,"SubscriptionManagers":[]}')).toThrow(/not found/);
  });
});
