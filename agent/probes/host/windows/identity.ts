import type { Observation } from '../../fact.js';
import type { ProbeContext } from '../../probe.js';
import { parseOrFail, powershellSource, runPowerShell } from './powershell.js';
import { parsePsJson, prop, psBool, psList, psSingle, psString, short } from './psjson.js';
import type { IdentityValue } from './types.js';

/**
 * MachineGuid is written at setup and survives renames; sysprep'd clones get a new one.
 * The SMBIOS UUID of Win32_ComputerSystemProduct is the fallback (some firmware leaves it
 * all zeros or all F's, which is not an identity).
 */
export const IDENTITY_SCRIPT =
  "$mg=(Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Cryptography' -Name MachineGuid -ErrorAction SilentlyContinue).MachineGuid;" +
  '$uuid=(Get-CimInstance Win32_ComputerSystemProduct -ErrorAction SilentlyContinue).UUID;' +
  '$cs=Get-CimInstance Win32_ComputerSystem;' +
  "$ip=@(Get-NetIPAddress -ErrorAction SilentlyContinue | Where-Object { $_.AddressState -eq 'Preferred' } | ForEach-Object { $_.IPAddress });" +
  '[pscustomobject]@{MachineGuid=$mg;ProductUuid=$uuid;Hostname=$env:COMPUTERNAME;DnsHostName=$cs.DNSHostName;' +
  'Domain=$cs.Domain;PartOfDomain=$cs.PartOfDomain;Addresses=$ip} | ConvertTo-Json';

export const IDENTITY_SOURCE = powershellSource('HKLM:\\SOFTWARE\\Microsoft\\Cryptography MachineGuid, Win32_ComputerSystem, Get-NetIPAddress');

const NOT_AN_ID = /^(0{8}-0{4}-0{4}-0{4}-0{12}|F{8}-F{4}-F{4}-F{4}-F{12})$/i;

export function parseIdentity(text: string): IdentityValue {
  const obj = psSingle(parsePsJson(text), 'identity');
  const hostname = psString(prop(obj, 'DnsHostName')) ?? psString(prop(obj, 'Hostname'));
  if (!hostname) throw new Error('no host name in the output');
  const machineGuid = psString(prop(obj, 'MachineGuid'));
  const uuid = psString(prop(obj, 'ProductUuid'));
  const machineId = machineGuid ?? (uuid && !NOT_AN_ID.test(uuid) ? uuid : null);
  const domain = psString(prop(obj, 'Domain'));
  const joined = psBool(prop(obj, 'PartOfDomain')) === true;
  const addresses = psList(prop(obj, 'Addresses'))
    .map(psString)
    .filter((a): a is string => a !== null)
    // Drop the zone index of link-local IPv6 addresses: it is local to this host.
    .map((a) => short(a.replace(/%\d+$/, '')))
    .slice(0, 256);
  return {
    hostname: short(hostname),
    fqdn: joined && domain ? short(`${hostname}.${domain}`.toLowerCase()) : null,
    machineId: machineId === null ? null : short(machineId.toLowerCase()),
    addresses: [...new Set(addresses)],
  };
}

export async function collectIdentity(ctx: ProbeContext): Promise<Observation<IdentityValue>> {
  const stdout = await runPowerShell(ctx, IDENTITY_SCRIPT, IDENTITY_SOURCE);
  return { value: parseOrFail(IDENTITY_SOURCE, () => parseIdentity(stdout)), source: IDENTITY_SOURCE };
}
