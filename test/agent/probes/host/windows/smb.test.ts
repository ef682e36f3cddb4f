import { describe, expect, it } from 'vitest';
import { parseSmbServerConfiguration } from '../../../../../agent/probes/host/windows/smb.js';
import { expectValidFact, fixture } from './fixtures.js';

describe('parseSmbServerConfiguration', () => {
  it('reads signing required and SMB1 off (constructed)', () => {
    const value = parseSmbServerConfiguration(fixture('smbServer/constructed-server-signing-required-ps51.json'));
    expect(value).toEqual({
      server: 'windows',
      signingRequired: true,
      smb1Enabled: false,
      settings: { EnableSMB1Protocol: 'false', EnableSMB2Protocol: 'true', RequireSecuritySignature: 'true', EnableSecuritySignature: 'true', EncryptData: 'false', RejectUnencryptedAccess: 'true' },
    });
    expectValidFact('smbServer', value);
  });

  it('reads SMB1 on and signing not required (constructed)', () => {
    const value = parseSmbServerConfiguration(fixture('smbServer/constructed-smb1-enabled-no-signing-ps51.json'));
    expect(value).toMatchObject({ signingRequired: false, smb1Enabled: true });
    expectValidFact('smbServer', value);
  });

  it('rejects output without RequireSecuritySignature or EnableSMB1Protocol instead of guessing', () => {
    expect(() => parseSmbServerConfiguration('{"EnableSMB1Protocol": false}')).toThrow(/RequireSecuritySignature/);
    expect(() => parseSmbServerConfiguration('{"RequireSecuritySignature": "True"}')).toThrow(/EnableSMB1Protocol/);
  });
});
