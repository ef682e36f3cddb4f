import { UnsupportedFact, type Observation } from '../../fact.js';
import type { ProbeContext } from '../../probe.js';
import { parseOrFail, powershellSource, ProgramNotFound, runNative, runPowerShell, withFallback } from './powershell.js';
import { parsePsJson, preview, prop, psObjects, psString, short } from './psjson.js';
import type { DiskEncryptionValue, EncryptedVolume } from './types.js';

/** Enums are cast to their names on the host, so the JSON does not depend on the PowerShell version. */
export const BITLOCKER_SCRIPT =
  'Get-BitLockerVolume | Select-Object MountPoint,' +
  "@{n='VolumeType';e={[string]$_.VolumeType}},@{n='VolumeStatus';e={[string]$_.VolumeStatus}}," +
  "@{n='ProtectionStatus';e={[string]$_.ProtectionStatus}},@{n='EncryptionMethod';e={[string]$_.EncryptionMethod}}," +
  'EncryptionPercentage | ConvertTo-Json';
export const BITLOCKER_SOURCE = powershellSource('Get-BitLockerVolume');
export const MANAGE_BDE_ARGS = ['-status'] as const;
export const MANAGE_BDE_SOURCE = 'manage-bde -status';

// When the names are not cast, ConvertTo-Json writes the numbers. They follow
// Win32_EncryptableVolume: ConversionStatus 0 fully decrypted, 1 fully encrypted,
// 2 encryption in progress, 3 decryption in progress, 4/5 encryption/decryption paused;
// ProtectionStatus 0 off, 1 on, 2 unknown; EncryptionMethod 0 none … 7 XTS-AES 256.
const VOLUME_STATUS: Record<number, string> = {
  0: 'FullyDecrypted',
  1: 'FullyEncrypted',
  2: 'EncryptionInProgress',
  3: 'DecryptionInProgress',
  4: 'EncryptionPaused',
  5: 'DecryptionPaused',
};
const PROTECTION_STATUS: Record<number, string> = { 0: 'Off', 1: 'On', 2: 'Unknown' };
const ENCRYPTION_METHOD: Record<number, string> = {
  0: 'None',
  1: 'Aes128Diffuser',
  2: 'Aes256Diffuser',
  3: 'Aes128',
  4: 'Aes256',
  5: 'Hardware',
  6: 'XtsAes128',
  7: 'XtsAes256',
};

function enumName(value: unknown, names: Record<number, string>): string | null {
  if (typeof value === 'number') return names[value] ?? `Unknown (${value})`;
  return psString(value);
}

function protection(status: string | null): boolean | null {
  if (status === null) return null;
  const s = status.toLowerCase();
  return s === 'on' ? true : s === 'off' ? false : null;
}

/** Parses `Get-BitLockerVolume | ConvertTo-Json`, with enums as names or numbers. */
export function parseBitLockerVolumes(text: string): EncryptedVolume[] {
  return psObjects(parsePsJson(text), 'Get-BitLockerVolume').map((v) => {
    const mountPoint = psString(prop(v, 'MountPoint'));
    if (mountPoint === null) throw new Error('BitLocker volume without MountPoint');
    const status = enumName(prop(v, 'VolumeStatus'), VOLUME_STATUS);
    const method = enumName(prop(v, 'EncryptionMethod'), ENCRYPTION_METHOD);
    if (status === null) throw new Error(`no VolumeStatus for ${mountPoint}`);
    const encrypted = status === 'FullyEncrypted';
    const usesBitLocker = encrypted || (status !== 'FullyDecrypted' && method !== null && method !== 'None');
    return {
      device: short(mountPoint),
      mountpoint: short(mountPoint),
      encrypted,
      method: usesBitLocker ? 'bitlocker' : null,
      protectionOn: protection(enumName(prop(v, 'ProtectionStatus'), PROTECTION_STATUS)),
    };
  });
}

/** Parses `manage-bde -status` (English output only). */
export function parseManageBdeStatus(text: string): EncryptedVolume[] {
  const volumes: EncryptedVolume[] = [];
  let current: { device: string; fields: Map<string, string> } | null = null;
  const flush = () => {
    if (current === null) return;
    const conversion = current.fields.get('conversion status');
    if (conversion === undefined) throw new Error(`no Conversion Status for volume ${current.device}`);
    const encrypted = /^(fully encrypted|used space only encrypted)$/i.test(conversion);
    const method = current.fields.get('encryption method') ?? null;
    const protectionStatus = current.fields.get('protection status') ?? null;
    volumes.push({
      device: short(current.device),
      mountpoint: /^[A-Z]:$/i.test(current.device) ? current.device : null,
      encrypted,
      method: encrypted || (!/^fully decrypted$/i.test(conversion) && method !== null && !/^none$/i.test(method)) ? 'bitlocker' : null,
      protectionOn: protectionStatus === null ? null : /^protection on\b/i.test(protectionStatus) ? true : /^protection off\b/i.test(protectionStatus) ? false : null,
    });
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const volume = /^Volume\s+(.+?)(?:\s+\[.*\])?$/.exec(line);
    if (volume) {
      flush();
      current = { device: volume[1]!, fields: new Map() };
      continue;
    }
    const field = /^([A-Za-z ]+):\s+(.+)$/.exec(line);
    if (current !== null && field) current.fields.set(field[1]!.trim().toLowerCase(), field[2]!.trim());
  }
  flush();
  if (volumes.length === 0) throw new Error(`no "Volume …" section (non-English output?): ${preview(text)}`);
  return volumes;
}

export async function collectDiskEncryption(ctx: ProbeContext): Promise<Observation<DiskEncryptionValue>> {
  return withFallback(
    BITLOCKER_SOURCE,
    async () => {
      const out = await runPowerShell(ctx, BITLOCKER_SCRIPT, BITLOCKER_SOURCE);
      return { value: { volumes: parseOrFail(BITLOCKER_SOURCE, () => parseBitLockerVolumes(out)).slice(0, 256) }, source: BITLOCKER_SOURCE };
    },
    async () => {
      const { stdout } = await runNative(ctx, 'manage-bde.exe', MANAGE_BDE_ARGS, MANAGE_BDE_SOURCE);
      return { value: { volumes: parseOrFail(MANAGE_BDE_SOURCE, () => parseManageBdeStatus(stdout)).slice(0, 256) }, source: MANAGE_BDE_SOURCE };
    },
    // Neither the BitLocker module nor manage-bde.exe: the feature is not installed (a
    // Server without it). When PowerShell itself is missing, nothing is known.
    (primary, fallback) =>
      fallback instanceof ProgramNotFound && !(primary instanceof ProgramNotFound)
        ? new UnsupportedFact(`BitLocker is not installed (Get-BitLockerVolume: ${primary.message}; manage-bde.exe not found)`, BITLOCKER_SOURCE)
        : undefined,
  );
}
