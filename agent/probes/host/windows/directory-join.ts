import type { Observation } from '../../fact.js';
import type { ProbeContext } from '../../probe.js';
import { parseOrFail, powershellSource, runPowerShell } from './powershell.js';
import { parsePsJson, prop, psBool, psSingle, psString, short } from './psjson.js';
import type { DirectoryJoinValue } from './types.js';

export const DIRECTORY_JOIN_SCRIPT = 'Get-CimInstance Win32_ComputerSystem | Select-Object PartOfDomain,Domain,Workgroup,DomainRole | ConvertTo-Json';

export const DIRECTORY_JOIN_SOURCE = powershellSource('Get-CimInstance Win32_ComputerSystem (PartOfDomain, Domain)');

/**
 * Active Directory membership from Win32_ComputerSystem. When PartOfDomain is false,
 * Domain holds the workgroup name, which is not a directory and is not reported.
 * A device joined only to Entra ID (Azure AD) reports PartOfDomain false.
 */
export function parseDirectoryJoin(text: string): DirectoryJoinValue {
  const cs = psSingle(parsePsJson(text), 'Win32_ComputerSystem');
  const partOfDomain = psBool(prop(cs, 'PartOfDomain'));
  if (partOfDomain === null) throw new Error('Win32_ComputerSystem has no PartOfDomain');
  if (!partOfDomain) return { joined: false, method: null, domain: null };
  const domain = psString(prop(cs, 'Domain'));
  return { joined: true, method: 'windows-domain', domain: domain === null ? null : short(domain) };
}

export async function collectDirectoryJoin(ctx: ProbeContext): Promise<Observation<DirectoryJoinValue>> {
  const stdout = await runPowerShell(ctx, DIRECTORY_JOIN_SCRIPT, DIRECTORY_JOIN_SOURCE);
  return { value: parseOrFail(DIRECTORY_JOIN_SOURCE, () => parseDirectoryJoin(stdout)), source: DIRECTORY_JOIN_SOURCE };
}
