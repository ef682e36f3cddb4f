import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePrograms } from '../support/require.js';
import { AUDIT_DN, personLdif, startSlapd, type SlapdServer } from '../support/servers/slapd.js';
import { auditDirectory, directoryEntry, evaluateTarget, factValue } from '../support/directory.js';
import { freePort } from '../support/servers/ports.js';

/**
 * ACC-07 against real slapd: the enabledAccounts fact lists every user not locked by an
 * administrator (a lockout after failed logons is temporary), and BV-ACC-007 names the
 * shared ones among them.
 */
const available = requirePrograms('shared accounts against slapd', ['slapd', 'slapadd', 'slappasswd', 'ldapsearch', 'openssl']);

// Never used to log on; slapadd stores any value.
const HASH = '{SSHA}aW5nZW4tbG9zZW5vcmQ=';
const SHARED = [
  personLdif('gemensam', HASH),
  // Locked after failed logons: still an account in use.
  personLdif('elev12', HASH, ['pwdAccountLockedTime: 20260101000000Z']),
  // Locked by an administrator: disabled, not listed.
  personLdif('test1', HASH, ['pwdAccountLockedTime: 000001010000Z']),
  personLdif('elevhalsa', HASH),
].join('\n');

describe.runIf(available)('enabledAccounts and BV-ACC-007 against slapd', () => {
  let server: SlapdServer;

  beforeAll(async () => {
    server = await startSlapd({ variant: 'good', port: await freePort(), tlsPort: await freePort(), extraLdif: SHARED });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const audit = () => auditDirectory(directoryEntry({ url: server.ldapsUrl, bindDn: AUDIT_DN, passwordFile: server.passwordFile, caFile: server.caFile }));

  it('lists the enabled accounts once, without the administratively locked ones', async () => {
    const target = await audit();
    // cecilia (seed) and test1 carry 000001010000Z.
    expect(factValue(target, 'enabledAccounts')).toEqual({
      count: 7,
      accounts: ['anna', 'bertil', 'david', 'elev12', 'elevhalsa', 'frida', 'gemensam'],
      attributes: { accounts: 'uid', enabled: 'pwdAccountLockedTime inte 000001010000Z' },
    });
    const { results } = await evaluateTarget(target);
    expect(results.find((r) => r.ruleId === 'BV-ACC-007')).toMatchObject({ status: 'fail', subjects: ['elev12', 'gemensam'] });
  });
});
