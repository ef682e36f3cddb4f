import type { Observation } from '../../fact.js';
import type { ProbeContext } from '../../probe.js';
import { parseOrFail, powershellSource, runPowerShell, withFallback } from './powershell.js';
import { parsePsJson, preview, prop, psBool, psInt, psObjects, psString, short } from './psjson.js';
import type { LocalAdmin, LocalAdminsValue } from './types.js';

/** S-1-5-32-544 is BUILTIN\Administrators whatever the group is called in this language. */
export const LOCAL_ADMINS_SCRIPT =
  '$enabled=@{};Get-LocalUser -ErrorAction SilentlyContinue | ForEach-Object { $enabled[$_.SID.Value]=$_.Enabled };' +
  "Get-LocalGroupMember -SID S-1-5-32-544 | Select-Object Name,ObjectClass,@{n='PrincipalSource';e={[string]$_.PrincipalSource}}," +
  "@{n='SID';e={$_.SID.Value}},@{n='Enabled';e={$enabled[$_.SID.Value]}} | ConvertTo-Json";
export const LOCAL_ADMINS_SOURCE = powershellSource('Get-LocalGroupMember -SID S-1-5-32-544');

/**
 * `net localgroup` needs the group's name, which is translated ("Administratörer"), so
 * PowerShell resolves it from the SID first. Get-LocalGroupMember fails outright on a
 * group that holds an orphaned SID or, on some builds, an Entra ID member; net does not.
 */
export const NET_LOCALGROUP_SCRIPT =
  "$name=([Security.Principal.SecurityIdentifier]'S-1-5-32-544').Translate([Security.Principal.NTAccount]).Value.Split('\\')[-1];" +
  '& net.exe localgroup $name;if($LASTEXITCODE -ne 0){throw "net localgroup exited with code $LASTEXITCODE"}';
export const NET_LOCALGROUP_SOURCE = 'net localgroup (S-1-5-32-544)';

const VIA = 'Administrators';
/** Microsoft.PowerShell.Commands.PrincipalSource: 0 Unknown, 1 Local, 2 ActiveDirectory, 3 AzureAD, 4 MicrosoftAccount. */
const PRINCIPAL_SOURCES = ['Unknown', 'Local', 'ActiveDirectory', 'AzureAD', 'MicrosoftAccount'];
const LOCAL_AUTHORITIES = new Set(['nt authority', 'builtin', 'nt service']);

/**
 * local: defined on this host (or a built-in principal); domain: everything that comes
 * from a directory, Entra ID and Microsoft accounts included. With no principal source,
 * the name decides: "HOST\user", "user" and built-ins are local, "DOMAIN\user" is not.
 */
export function originFromName(name: string, hostname: string | null): LocalAdmin['origin'] {
  const slash = name.indexOf('\\');
  if (slash < 0) return 'local';
  const authority = name.slice(0, slash).toLowerCase();
  if (LOCAL_AUTHORITIES.has(authority)) return 'local';
  if (hostname !== null && authority === hostname.toLowerCase()) return 'local';
  return 'domain';
}

function principalSource(value: unknown): string | null {
  const n = psInt(value);
  if (n !== null) return PRINCIPAL_SOURCES[n] ?? null;
  return psString(value);
}

/** Parses `Get-LocalGroupMember … | ConvertTo-Json` (PrincipalSource as a name or a number). */
export function parseLocalGroupMembers(text: string, hostname: string | null = null): LocalAdmin[] {
  return psObjects(parsePsJson(text), 'Get-LocalGroupMember').map((member) => {
    const name = psString(prop(member, 'Name'));
    if (name === null) throw new Error('group member without a Name');
    const source = principalSource(prop(member, 'PrincipalSource'));
    let origin: LocalAdmin['origin'];
    if (source === 'Local') origin = 'local';
    else if (source === 'ActiveDirectory' || source === 'AzureAD' || source === 'MicrosoftAccount') origin = 'domain';
    else origin = originFromName(name, hostname);
    return { name: short(name), origin, via: VIA, enabled: psBool(prop(member, 'Enabled')) };
  });
}

/**
 * Parses `net localgroup <Administrators>`: the members are the lines between the dashed
 * rule and the closing "The command completed successfully." (translated, so it is
 * recognised by its final period: account names cannot end with one).
 */
export function parseNetLocalGroup(text: string, hostname: string | null = null): LocalAdmin[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const rule = lines.findIndex((l) => /^-{10,}$/.test(l));
  if (rule < 0) throw new Error(`no member list in the net localgroup output: ${preview(text)}`);
  const members = lines.slice(rule + 1).filter((l) => l !== '');
  while (members.length > 0 && members[members.length - 1]!.endsWith('.')) members.pop();
  return members.map((name) => ({ name: short(name), origin: originFromName(name, hostname), via: VIA, enabled: null }));
}

export async function collectLocalAdmins(ctx: ProbeContext, hostname: string | null): Promise<Observation<LocalAdminsValue>> {
  return withFallback(
    LOCAL_ADMINS_SOURCE,
    async () => {
      const out = await runPowerShell(ctx, LOCAL_ADMINS_SCRIPT, LOCAL_ADMINS_SOURCE);
      return { value: { accounts: parseOrFail(LOCAL_ADMINS_SOURCE, () => parseLocalGroupMembers(out, hostname)).slice(0, 1000) }, source: LOCAL_ADMINS_SOURCE };
    },
    async () => {
      const out = await runPowerShell(ctx, NET_LOCALGROUP_SCRIPT, NET_LOCALGROUP_SOURCE);
      return { value: { accounts: parseOrFail(NET_LOCALGROUP_SOURCE, () => parseNetLocalGroup(out, hostname)).slice(0, 1000) }, source: NET_LOCALGROUP_SOURCE };
    },
  );
}
