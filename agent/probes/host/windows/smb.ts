import type { Observation } from '../../fact.js';
import type { ProbeContext } from '../../probe.js';
import type { z } from 'zod';
import type { hostFacts } from '../../../../report/facts/host.js';
import { parseOrFail, powershellSource, runPowerShell } from './powershell.js';
import { parsePsJson, prop, psBool, psSingle } from './psjson.js';

type SmbServerValue = z.infer<typeof hostFacts.smbServer.value>;

const FIELDS = ['EnableSMB1Protocol', 'EnableSMB2Protocol', 'RequireSecuritySignature', 'EnableSecuritySignature', 'EncryptData', 'RejectUnencryptedAccess'] as const;

export const SMB_SERVER_SCRIPT = `Get-SmbServerConfiguration | Select-Object ${FIELDS.join(',')} | ConvertTo-Json`;

export const SMB_SERVER_SOURCE = powershellSource('Get-SmbServerConfiguration (RequireSecuritySignature, EnableSMB1Protocol)');

/**
 * The Server service's SMB settings. RequireSecuritySignature true: every client must sign;
 * EnableSMB1Protocol true: SMB1 is accepted. Both are required in the output; the others
 * are kept as evidence when present.
 */
export function parseSmbServerConfiguration(text: string): SmbServerValue {
  const config = psSingle(parsePsJson(text), 'Get-SmbServerConfiguration');
  const settings: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = psBool(prop(config, field));
    if (value !== null) settings[field] = String(value);
  }
  const required = (field: (typeof FIELDS)[number]): boolean => {
    if (settings[field] === undefined) throw new Error(`Get-SmbServerConfiguration has no ${field}`);
    return settings[field] === 'true';
  };
  return { server: 'windows', signingRequired: required('RequireSecuritySignature'), smb1Enabled: required('EnableSMB1Protocol'), settings };
}

export async function collectSmbServer(ctx: ProbeContext): Promise<Observation<SmbServerValue>> {
  const stdout = await runPowerShell(ctx, SMB_SERVER_SCRIPT, SMB_SERVER_SOURCE);
  return { value: parseOrFail(SMB_SERVER_SOURCE, () => parseSmbServerConfiguration(stdout)), source: SMB_SERVER_SOURCE };
}
