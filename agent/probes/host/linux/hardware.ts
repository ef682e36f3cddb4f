import type { Observation } from '../../fact.js';
import { FactError } from '../../fact.js';
import type { LinuxContext } from './context.js';
import { readOptional } from './run.js';

export type Chassis = 'laptop' | 'desktop' | 'server' | 'virtual-machine' | 'container' | 'other' | 'unknown';

export interface HardwareValue {
  chassis: Chassis;
  manufacturer: string | null;
  model: string | null;
  virtual: boolean | null;
}

/** SMBIOS chassis type names, as systeminformation reports them. */
const CHASSIS_KINDS: Record<string, Chassis> = {
  laptop: 'laptop',
  notebook: 'laptop',
  portable: 'laptop',
  'sub notebook': 'laptop',
  'hand held': 'laptop',
  convertible: 'laptop',
  detachable: 'laptop',
  tablet: 'laptop',
  desktop: 'desktop',
  'low profile desktop': 'desktop',
  'mini tower': 'desktop',
  tower: 'desktop',
  'all in one': 'desktop',
  'space-saving': 'desktop',
  'lunch box': 'desktop',
  'pizza box': 'desktop',
  'mini pc': 'desktop',
  'stick pc': 'desktop',
  'rack mount chassis': 'server',
  'main server chassis': 'server',
  'multi-system chassis': 'server',
  blade: 'server',
  'blade enclosure': 'server',
  other: 'other',
};

export interface HardwareInput {
  system: { manufacturer: string; model: string; virtual: boolean; virtualHost?: string };
  chassis: { type: string };
  /** A container marker file (/.dockerenv, /run/.containerenv) or /run/systemd/container exists. */
  containerMarker: string | null;
}

/** Some firmware fills DMI fields with placeholders instead of leaving them empty. */
function meaningful(text: string): string | null {
  const value = text.trim();
  if (!value || value === '-' || /^(to be filled by o\.e\.m\.|default string|system product name|not specified|none)$/i.test(value)) return null;
  return value;
}

export function classifyHardware(input: HardwareInput): HardwareValue {
  const manufacturer = meaningful(input.system.manufacturer);
  const model = meaningful(input.system.model);
  // systeminformation calls a host with /.dockerenv a "Docker Container".
  if (input.containerMarker || model === 'Docker Container') {
    return { chassis: 'container', manufacturer, model, virtual: true };
  }
  if (input.system.virtual) return { chassis: 'virtual-machine', manufacturer, model, virtual: true };
  const chassis = CHASSIS_KINDS[input.chassis.type.trim().toLowerCase()] ?? (input.chassis.type.trim() ? 'other' : 'unknown');
  return { chassis, manufacturer, model, virtual: false };
}

const CONTAINER_MARKERS = ['/.dockerenv', '/run/.containerenv', '/run/systemd/container'];

async function findContainerMarker(c: LinuxContext): Promise<string | null> {
  for (const path of CONTAINER_MARKERS) {
    try {
      if ((await readOptional(c, path)) !== null) return path;
    } catch {
      return path; // exists but unreadable
    }
  }
  return null;
}

/** systeminformation runs its own commands without a time limit; bound them here. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function collectHardware(c: LinuxContext): Promise<Observation<HardwareValue>> {
  const [system, chassis, containerMarker] = await withTimeout(
    Promise.all([c.systemInfo.system(), c.systemInfo.chassis(), findContainerMarker(c)]),
    c.options.timeoutMs,
  ).catch((error: unknown) => {
    throw new FactError(`systeminformation could not read the DMI data: ${(error as Error).message}`, 'systeminformation system(), chassis()');
  });
  const markerSource = containerMarker ? `, ${containerMarker}` : '';
  return {
    value: classifyHardware({ system, chassis, containerMarker }),
    source: `systeminformation system(), chassis()${markerSource}`,
  };
}
