import type { Observation } from '../../fact.js';
import type { ProbeContext } from '../../probe.js';
import { parseOrFail, powershellSource, runPowerShell } from './powershell.js';
import { parsePsJson, prop, psInt, psList, psSingle, psString, short } from './psjson.js';
import type { HardwareValue } from './types.js';

export const HARDWARE_SCRIPT =
  '$cs=Get-CimInstance Win32_ComputerSystem;' +
  '$ct=@(Get-CimInstance Win32_SystemEnclosure | ForEach-Object { $_.ChassisTypes });' +
  '[pscustomobject]@{Manufacturer=$cs.Manufacturer;Model=$cs.Model;PCSystemType=$cs.PCSystemType;ChassisTypes=$ct} | ConvertTo-Json';

export const HARDWARE_SOURCE = powershellSource('Get-CimInstance Win32_ComputerSystem, Win32_SystemEnclosure');

/**
 * Manufacturer/model strings that hypervisors put in the firmware tables (SMBIOS). Hyper-V:
 * Microsoft Corporation / Virtual Machine; VMware: VMware, Inc. / VMware Virtual Platform
 * or VMware7,1; VirtualBox: innotek GmbH / VirtualBox; QEMU/KVM: QEMU / Standard PC …;
 * Xen: Xen / HVM domU; the clouds name themselves.
 */
const VIRTUAL_PATTERNS = [
  /\bvirtual machine\b/i,
  /\bvmware\b/i,
  /\bvirtualbox\b/i,
  /\binnotek\b/i,
  /\bkvm\b/i,
  /\bqemu\b/i,
  /\bhvm domu\b/i,
  /\bxen\b/i,
  /\bparallels\b/i,
  /\bamazon ec2\b/i,
  /\bgoogle compute engine\b/i,
  /\bopenstack\b/i,
  /\bnutanix\b/i,
  /\bbochs\b/i,
];

// SMBIOS system enclosure types (DMTF DSP0134, as listed for Win32_SystemEnclosure.ChassisTypes).
const LAPTOP_CHASSIS = new Set([8, 9, 10, 11, 12, 14, 18, 21, 30, 31, 32]);
const DESKTOP_CHASSIS = new Set([3, 4, 5, 6, 7, 13, 15, 16, 24, 34, 35, 36]);
const SERVER_CHASSIS = new Set([17, 23, 25, 28, 29]);

export function isVirtualModel(manufacturer: string | null, model: string | null): boolean | null {
  if (manufacturer === null && model === null) return null;
  const text = `${manufacturer ?? ''} ${model ?? ''}`;
  return VIRTUAL_PATTERNS.some((pattern) => pattern.test(text));
}

/** Parses the output of HARDWARE_SCRIPT. */
export function parseHardware(text: string): HardwareValue {
  const cs = psSingle(parsePsJson(text), 'Win32_ComputerSystem');
  const manufacturer = psString(prop(cs, 'Manufacturer'));
  const model = psString(prop(cs, 'Model'));
  // Win32_ComputerSystem.PCSystemType: 1 desktop, 2 mobile, 3 workstation, 4 enterprise server,
  // 5 SOHO server, 6 appliance PC, 7 performance server.
  const pcSystemType = psInt(prop(cs, 'PCSystemType'));
  const chassisTypes = psList(prop(cs, 'ChassisTypes'))
    .map(psInt)
    .filter((n): n is number => n !== null);
  const virtual = isVirtualModel(manufacturer, model);

  let chassis: HardwareValue['chassis'] = 'unknown';
  if (virtual) chassis = 'virtual-machine';
  else if (pcSystemType === 2 || chassisTypes.some((t) => LAPTOP_CHASSIS.has(t))) chassis = 'laptop';
  else if (pcSystemType === 4 || pcSystemType === 5 || pcSystemType === 7 || chassisTypes.some((t) => SERVER_CHASSIS.has(t))) chassis = 'server';
  else if (pcSystemType === 1 || pcSystemType === 3 || chassisTypes.some((t) => DESKTOP_CHASSIS.has(t))) chassis = 'desktop';
  else if (pcSystemType === 6 || chassisTypes.length > 0) chassis = 'other';

  return {
    chassis,
    manufacturer: manufacturer === null ? null : short(manufacturer),
    model: model === null ? null : short(model),
    virtual,
  };
}

export async function collectHardware(ctx: ProbeContext): Promise<Observation<HardwareValue>> {
  const stdout = await runPowerShell(ctx, HARDWARE_SCRIPT, HARDWARE_SOURCE);
  return { value: parseOrFail(HARDWARE_SOURCE, () => parseHardware(stdout)), source: HARDWARE_SOURCE };
}
