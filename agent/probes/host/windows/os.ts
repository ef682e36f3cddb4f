import type { Observation } from '../../fact.js';
import type { ProbeContext } from '../../probe.js';
import { parseOrFail, powershellSource, runPowerShell } from './powershell.js';
import { parsePsJson, prop, psInt, psSingle, psString, short } from './psjson.js';
import type { OsValue } from './types.js';

/**
 * Win32_OperatingSystem, plus the update build revision (UBR, the number after the dot
 * in "19045.3693", which only the registry has) and the processor architecture from
 * the environment, which unlike OSArchitecture is not translated ("64-bit", "64 bits").
 */
export const OS_SCRIPT =
  "$ubr=(Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion' -Name UBR -ErrorAction SilentlyContinue).UBR;" +
  "$arch=if($env:PROCESSOR_ARCHITEW6432){$env:PROCESSOR_ARCHITEW6432}else{$env:PROCESSOR_ARCHITECTURE};" +
  'Get-CimInstance Win32_OperatingSystem | Select-Object Caption,Version,BuildNumber,OSArchitecture,ProductType,' +
  '@{n="UBR";e={$ubr}},@{n="Arch";e={$arch}} | ConvertTo-Json';

export const OS_SOURCE = powershellSource('Get-CimInstance Win32_OperatingSystem');

const ARCH: Record<string, string> = { AMD64: 'x86_64', ARM64: 'aarch64', X86: 'x86', IA64: 'ia64' };

/** "Microsoft Windows 10 Enterprise N" → "Enterprise N"; "Microsoft Windows Server 2022 Datacenter" → "Datacenter". */
export function editionFromCaption(caption: string): string | null {
  const match = /^(?:Microsoft\s+)?Windows\s+(?:Server\s+)?(?:\d+(?:\.\d+)?(?:\s+R2)?|Vista|XP)\s+(.+)$/i.exec(caption.trim());
  return match ? match[1]!.trim() : null;
}

/** Parses the output of OS_SCRIPT (or plain `Win32_OperatingSystem | ConvertTo-Json`). */
export function parseOperatingSystem(text: string): OsValue {
  const os = psSingle(parsePsJson(text), 'Win32_OperatingSystem');
  const caption = psString(prop(os, 'Caption'));
  const version = psString(prop(os, 'Version'));
  if (!caption || !version) throw new Error('Win32_OperatingSystem has no Caption or Version');
  const buildNumber = psString(prop(os, 'BuildNumber'));
  const ubr = psInt(prop(os, 'UBR'));
  const productType = psInt(prop(os, 'ProductType'));
  const archEnv = psString(prop(os, 'Arch'));
  return {
    platform: 'windows',
    id: 'windows',
    name: short(caption),
    version: short(version),
    build: buildNumber ? short(ubr !== null ? `${buildNumber}.${ubr}` : buildNumber) : null,
    edition: editionFromCaption(caption),
    kernel: short(version),
    arch: archEnv ? (ARCH[archEnv.toUpperCase()] ?? short(archEnv)) : (psString(prop(os, 'OSArchitecture')) ?? null),
    // ProductType: 1 workstation, 2 domain controller, 3 server.
    isServer: productType === null ? null : productType !== 1,
  };
}

export async function collectOperatingSystem(ctx: ProbeContext): Promise<Observation<OsValue>> {
  const stdout = await runPowerShell(ctx, OS_SCRIPT, OS_SOURCE);
  return { value: parseOrFail(OS_SOURCE, () => parseOperatingSystem(stdout)), source: OS_SOURCE };
}
