import { z } from 'zod';
import { loadYamlFile } from '../common/yaml.js';
import { parseCidr } from './engine/network.js';
import type { ParamOverrides } from './engine/params.js';
import type { RuleSet } from './engine/types.js';

/**
 * The network model: per kommun, the zones (ADM, PED, GÄST, MGMT, …) with their VLAN ids,
 * name patterns and address ranges from the common IP plan; the trunk allowlist; the
 * registered firewalls; the allowed flows between zones. The rules read it as parameters
 * (rules/engine/network.ts describes the encoding), so it can differ per tenant.
 */

const zoneName = z.string().regex(/^[\p{Lu}][\p{Lu}\p{N}_-]{0,31}$/u, 'ett zonnamn med versaler, t.ex. ADM, PED, GÄST (a zone name in capitals)');
const vlanRange = z.union([
  z.number().int().min(1).max(4094),
  z
    .string()
    .regex(/^\d{1,4}(-\d{1,4})?$/, 'ett VLAN-id eller intervall, t.ex. 10 eller "100-149" (a VLAN id or range)')
    .refine((r) => {
      const [lo, hi = lo] = r.split('-').map(Number) as [number, number?];
      return lo >= 1 && hi <= 4094 && lo <= hi;
    }, 'VLAN-id ska ligga mellan 1 och 4094, lägsta först (VLAN ids 1–4094, low to high)'),
]);
const cidr = z.string().superRefine((value, ctx) => {
  try {
    parseCidr(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});
const pattern = z.string().max(500).superRefine((value, ctx) => {
  try {
    new RegExp(value, 'iu');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `ogiltigt reguljärt uttryck (invalid regular expression): ${(error as Error).message}` });
  }
});

const zoneSchema = z.strictObject({
  vlans: z.array(vlanRange).max(4094).default([]),
  /** Case-insensitive regular expression on the VLAN name, used when the id is not listed. */
  names: pattern.optional(),
  ranges: z.array(cidr).max(1000).default([]),
});

export const networkModelSchema = z
  .strictObject({
    /** The kommun whose switches and segments are evaluated with this model. */
    kommun: z.string().min(1).max(64),
    kommuner: z.record(z.string().min(1).max(64), z.strictObject({ name: z.string().max(128).optional(), zones: z.record(zoneName, zoneSchema) })),
    /** LLDP system names of neighbours that may receive trunks carrying both ADM and PED. */
    trunkAllowlist: z.array(z.string().min(1).max(256)).max(1000).default([]),
    /** sysNames of devices allowed to have addresses in both ADM and PED (the firewall). */
    registeredFirewalls: z.array(z.string().min(1).max(256)).max(100).default([]),
    allowedFlows: z
      .array(
        z.strictObject({
          from: zoneName,
          /** A zone, or one host (address or name) in another zone. */
          to: z.string().min(1).max(253),
          ports: z.array(z.union([z.number().int().min(1).max(65535), z.literal('*')])).min(1).max(100),
          /** Flows not listed are denied; allow: false only documents a deliberate deny. */
          allow: z.boolean().default(true),
        }),
      )
      .max(10_000)
      .default([]),
  })
  .superRefine((model, ctx) => {
    if (!Object.hasOwn(model.kommuner, model.kommun)) {
      ctx.addIssue({ code: 'custom', path: ['kommun'], message: `kommunen "${model.kommun}" finns inte under kommuner (not among kommuner)` });
    }
    // The common IP plan must not give two kommuner overlapping ranges.
    const all = Object.entries(model.kommuner).flatMap(([k, def]) =>
      Object.entries(def.zones).flatMap(([zone, z]) => z.ranges.map((range, i) => ({ k, zone, i, range }))),
    );
    for (const a of all) {
      for (const b of all) {
        if (a.k >= b.k) continue;
        let ca, cb;
        try {
          ca = parseCidr(a.range);
          cb = parseCidr(b.range);
        } catch {
          continue;
        }
        const contains = (o: typeof ca, i: typeof ca) => o.v6 === i.v6 && i.bits >= o.bits && i.base >> BigInt((o.v6 ? 128 : 32) - o.bits) === o.base >> BigInt((o.v6 ? 128 : 32) - o.bits);
        if (contains(ca, cb) || contains(cb, ca)) {
          ctx.addIssue({
            code: 'custom',
            path: ['kommuner', b.k, 'zones', b.zone, 'ranges', b.i],
            message: `${b.range} (${b.k}) överlappar ${a.range} (${a.k}) i den gemensamma IP-planen (overlaps another kommun's range)`,
          });
        }
      }
    }
  });

export type NetworkModel = z.output<typeof networkModelSchema>;

export async function loadNetworkModel(file: string): Promise<NetworkModel> {
  return loadYamlFile(file, networkModelSchema);
}

/** The model as rule parameters, by parameter name. */
export function networkModelParams(model: NetworkModel): Record<string, string[]> {
  const own = model.kommuner[model.kommun]!;
  const zones = Object.entries(own.zones).map(([zone, z]) => `${zone}:${z.vlans.join(',')}:${z.names ?? ''}`);
  return {
    zones,
    zoneRanges: Object.entries(own.zones).flatMap(([zone, z]) => z.ranges.map((r) => `${zone}=${r}`)),
    ownRanges: Object.values(own.zones).flatMap((z) => z.ranges.map((r) => `${model.kommun}=${r}`)),
    otherRanges: Object.entries(model.kommuner)
      .filter(([k]) => k !== model.kommun)
      .flatMap(([k, def]) => Object.values(def.zones).flatMap((z) => z.ranges.map((r) => `${k}=${r}`))),
    trunkAllowlist: model.trunkAllowlist,
    registeredFirewalls: model.registeredFirewalls,
    flows: model.allowedFlows.filter((f) => f.allow).map((f) => `${f.from}>${f.to}:${f.ports.join(',')}`),
  };
}

/** Parameter overrides for every rule that declares one of the model's parameters. */
export function networkModelOverrides(model: NetworkModel, ruleSet: RuleSet): ParamOverrides {
  const params = networkModelParams(model);
  const overrides: Record<string, Record<string, unknown>> = {};
  for (const rule of ruleSet.rules) {
    for (const [key, value] of Object.entries(params)) {
      if (Object.hasOwn(rule.params, key)) (overrides[rule.id] ??= {})[key] = value;
    }
  }
  return overrides;
}


/** Loads a model file and returns what evaluation needs: the overrides for a rule set. */
export async function loadNetworkModelWithParams(file: string): Promise<(ruleSet: RuleSet) => ParamOverrides> {
  const model = await loadNetworkModel(file);
  return (ruleSet) => networkModelOverrides(model, ruleSet);
}
