import { describe, expect, it } from 'vitest';
import { parseBitLockerVolumes, parseManageBdeStatus } from '../../../../../agent/probes/host/windows/disk-encryption.js';
import { expectValidFact, fixture } from './fixtures.js';

describe('parseManageBdeStatus', () => {
  it('reads the Microsoft example: used-space-only encryption, protection on (real)', () => {
    const volumes = parseManageBdeStatus(fixture('diskEncryption/manage-bde-status-msdocs.txt'));
    expect(volumes).toEqual([{ device: 'C:', mountpoint: 'C:', encrypted: true, method: 'bitlocker', protectionOn: true }]);
    expectValidFact('diskEncryption', { volumes });
  });

  it('reads several volumes with the tool banner, a decrypted volume and suspended protection', () => {
    // Inline input: the real example's layout with a banner and two more volumes.
    const text = [
      'BitLocker Drive Encryption: Configuration Tool version 10.0.19041',
      'Copyright (C) 2013 Microsoft Corporation. All rights reserved.',
      '',
      'Disk volumes that can be protected with',
      'BitLocker Drive Encryption:',
      'Volume C: [OS]',
      '[OS Volume]',
      '',
      '    Conversion Status:    Fully Encrypted',
      '    Encryption Method:    XTS-AES 128',
      '    Protection Status:    Protection Off (1 reboots left)',
      '',
      'Volume D: [Data]',
      '[Data Volume]',
      '',
      '    Conversion Status:    Fully Decrypted',
      '    Encryption Method:    None',
      '    Protection Status:    Protection Off',
      '',
    ].join('\r\n');
    expect(parseManageBdeStatus(text)).toEqual([
      { device: 'C:', mountpoint: 'C:', encrypted: true, method: 'bitlocker', protectionOn: false },
      { device: 'D:', mountpoint: 'D:', encrypted: false, method: null, protectionOn: false },
    ]);
  });

  it('refuses output it cannot read', () => {
    expect(() => parseManageBdeStatus('BitLocker-Laufwerkverschlüsselung: Konfigurationstool\nVolume C: [OS]\n    Konvertierungsstatus: Vollständig verschlüsselt\n')).toThrow(
      /no Conversion Status/,
    );
    expect(() => parseManageBdeStatus('ERROR: An error occurred (code 0x80070005): Access is denied.')).toThrow(/no "Volume/);
  });
});

describe('parseBitLockerVolumes', () => {
  it('reads enum names: encrypted, decrypted, and encrypted with protection suspended (constructed)', () => {
    const volumes = parseBitLockerVolumes(fixture('diskEncryption/constructed-bitlocker-names.json'));
    expect(volumes).toEqual([
      { device: 'C:', mountpoint: 'C:', encrypted: true, method: 'bitlocker', protectionOn: true },
      { device: 'D:', mountpoint: 'D:', encrypted: false, method: null, protectionOn: false },
      { device: 'E:', mountpoint: 'E:', encrypted: true, method: 'bitlocker', protectionOn: false },
    ]);
    expectValidFact('diskEncryption', { volumes });
  });

  it('reads enum numbers: encryption in progress is not yet encrypted (constructed)', () => {
    const volumes = parseBitLockerVolumes(fixture('diskEncryption/constructed-bitlocker-numbers-single.json'));
    expect(volumes).toEqual([{ device: 'C:', mountpoint: 'C:', encrypted: false, method: 'bitlocker', protectionOn: false }]);
    expectValidFact('diskEncryption', { volumes });
  });

  it('keeps the protection status unknown for a locked volume', () => {
    expect(parseBitLockerVolumes('{"MountPoint":"F:","VolumeStatus":"FullyEncrypted","ProtectionStatus":"Unknown","EncryptionMethod":"XtsAes256"}')[0]!.protectionOn).toBeNull();
  });
});
