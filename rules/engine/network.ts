/**
 * Network-model helpers for CEL rules on switches and segments. The model (zones, IP plan,
 * allowed flows) reaches the rules as string-list parameters, so it can be overridden per
 * tenant like any other parameter:
 *   zones   "ADM:10,100-149:adm|förv"   zone : VLAN ids and ranges : name regex (case-insensitive)
 *   ranges  "amal=10.10.0.0/16" or "10.10.0.0/16"   an optional label, then a CIDR
 *   flows   "PED>ADM:443,445" or "PED>10.10.0.10:*"   from zone > to zone or host : ports
 */

export interface ZoneSpec {
  zone: string;
  ids: [number, number][];
  pattern: RegExp | null;
}

const zoneCache = new Map<string, ZoneSpec>();

/** Parses one zone spec; throws on a malformed one (→ the rule is unknown). */
export function parseZoneSpec(spec: string): ZoneSpec {
  const cached = zoneCache.get(spec);
  if (cached) return cached;
  const first = spec.indexOf(':');
  const second = first < 0 ? -1 : spec.indexOf(':', first + 1);
  if (first <= 0 || second < 0) throw new Error(`ogiltig zonspecifikation "${spec}" — väntade ZON:VLAN:MÖNSTER (invalid zone spec)`);
  const zone = spec.slice(0, first);
  const ids: [number, number][] = [];
  for (const part of spec.slice(first + 1, second).split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d{1,4})(?:-(\d{1,4}))?$/.exec(part);
    if (!m) throw new Error(`ogiltigt VLAN-intervall "${part}" i "${spec}" (invalid VLAN range)`);
    ids.push([Number(m[1]), Number(m[2] ?? m[1])]);
  }
  const source = spec.slice(second + 1);
  const parsed = { zone, ids, pattern: source ? new RegExp(source, 'iu') : null };
  zoneCache.set(spec, parsed);
  return parsed;
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return null;
}

/** The zone of a VLAN: an id match wins over a name match; "" when none. */
export function zoneOf(id: unknown, name: unknown, zones: readonly string[]): string {
  const vid = toNumber(id);
  const specs = zones.map(parseZoneSpec);
  if (vid !== null) for (const s of specs) if (s.ids.some(([lo, hi]) => vid >= lo && vid <= hi)) return s.zone;
  if (typeof name === 'string' && name) for (const s of specs) if (s.pattern?.test(name)) return s.zone;
  return '';
}

function field(value: unknown, key: string): unknown {
  if (value instanceof Map) return value.get(key);
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

const namesCache = new WeakMap<object, Map<number, string | null>>();

function vlanNames(vlans: readonly unknown[]): Map<number, string | null> {
  let names = namesCache.get(vlans);
  if (!names) {
    names = new Map();
    for (const v of vlans) {
      const id = toNumber(field(v, 'id'));
      const name = field(v, 'name');
      if (id !== null) names.set(id, typeof name === 'string' ? name : null);
    }
    namesCache.set(vlans, names);
  }
  return names;
}

// Zone per VLAN id, per (vlans, zones) pair: a rule asks about the same VLANs for every port.
const zoneMemo = new WeakMap<object, WeakMap<object, Map<number, string>>>();

function memoFor(vlans: readonly unknown[], zones: readonly string[]): Map<number, string> {
  let byZones = zoneMemo.get(vlans);
  if (!byZones) zoneMemo.set(vlans, (byZones = new WeakMap()));
  let memo = byZones.get(zones);
  if (!memo) byZones.set(zones, (memo = new Map()));
  return memo;
}

/** The distinct zones of some VLAN ids (names looked up in the switch's vlans), sorted; VLANs in no zone are left out. */
export function zonesOf(ids: readonly unknown[], vlans: readonly unknown[], zones: readonly string[]): string[] {
  const names = vlanNames(vlans);
  const memo = memoFor(vlans, zones);
  const out = new Set<string>();
  for (const id of ids) {
    const vid = toNumber(id);
    if (vid === null) continue;
    let zone = memo.get(vid);
    if (zone === undefined) memo.set(vid, (zone = zoneOf(vid, names.get(vid) ?? null, zones)));
    if (zone) out.add(zone);
  }
  return [...out].sort();
}

const UPLINK_CAPABILITIES = new Set(['bridge', 'router', 'wlanAccessPoint']);

/** BITS §5 step 3: an uplink carries more than one VLAN towards a bridge, router or access point. */
export function isUplink(port: unknown): boolean {
  const egress = field(port, 'egressVlans');
  if (!Array.isArray(egress) || egress.length <= 1) return false;
  const caps = field(field(port, 'lldpNeighbour'), 'capabilities');
  return Array.isArray(caps) && caps.some((c) => UPLINK_CAPABILITIES.has(String(c)));
}

// ---------------------------------------------------------------- addresses

interface Cidr {
  v6: boolean;
  base: bigint;
  bits: number;
}

function parseAddress(text: string): { v6: boolean; value: bigint } {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((p) => p > 255)) throw new Error(`ogiltig adress "${text}" (invalid address)`);
    return { v6: false, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (text.includes(':')) {
    const [head, tail] = text.split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) throw new Error(`ogiltig adress "${text}" (invalid address)`);
    return { v6: true, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
  }
  throw new Error(`ogiltig adress "${text}" (invalid address)`);
}

export function parseCidr(text: string): Cidr {
  const [addr, len] = text.trim().split('/') as [string, string | undefined];
  const { v6, value } = parseAddress(addr);
  const max = v6 ? 128 : 32;
  const bits = len === undefined ? max : Number(len);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) throw new Error(`ogiltig prefixlängd i "${text}" (invalid prefix length)`);
  const hostBits = BigInt(max - bits);
  return { v6, base: (value >> hostBits) << hostBits, bits };
}

function splitLabel(entry: string): { label: string; cidr: string } {
  const eq = entry.indexOf('=');
  return eq < 0 ? { label: '', cidr: entry } : { label: entry.slice(0, eq), cidr: entry.slice(eq + 1) };
}

function contains(outer: Cidr, inner: Cidr): boolean {
  if (outer.v6 !== inner.v6 || inner.bits < outer.bits) return false;
  const shift = BigInt((outer.v6 ? 128 : 32) - outer.bits);
  return inner.base >> shift === outer.base >> shift;
}

function overlaps(a: Cidr, b: Cidr): boolean {
  return contains(a, b) || contains(b, a);
}

/** True when the address or subnet lies wholly inside one of the ranges. */
export function inRanges(cidr: string, ranges: readonly string[]): boolean {
  const c = parseCidr(cidr);
  return ranges.some((r) => contains(parseCidr(splitLabel(r).cidr), c));
}

/** The first range (as written, with its label) that overlaps the subnet; "" when none. */
export function overlappingRange(cidr: string, ranges: readonly string[]): string {
  const c = parseCidr(cidr);
  return ranges.find((r) => overlaps(parseCidr(splitLabel(r).cidr), c)) ?? '';
}

/** The label of the first range holding the address or subnet ("ADM" in "ADM=10.10.0.0/16"); "" when none. */
export function rangeLabel(cidr: string, ranges: readonly string[]): string {
  const c = parseCidr(cidr);
  for (const r of ranges) {
    const { label, cidr: range } = splitLabel(r);
    if (contains(parseCidr(range), c)) return label;
  }
  return '';
}

/** The network part of an interface address: "10.10.0.1", 24 → "10.10.0.0/24". */
export function subnetOf(address: string, prefixLength: unknown): string {
  const bits = toNumber(prefixLength) ?? 32;
  const c = parseCidr(`${address}/${bits}`);
  if (c.v6) {
    const groups = Array.from({ length: 8 }, (_, i) => ((c.base >> BigInt((7 - i) * 16)) & 0xffffn).toString(16));
    return `${groups.join(':')}/${bits}`;
  }
  return `${[24, 16, 8, 0].map((s) => Number((c.base >> BigInt(s)) & 255n)).join('.')}/${bits}`;
}

// ---------------------------------------------------------------- flows

/** Whether the allowed-flows list permits from-zone → host (in to-zone) on port. */
export function flowAllowed(fromZone: string, host: string, toZone: string, port: unknown, flows: readonly string[]): boolean {
  const p = toNumber(port);
  for (const flow of flows) {
    const m = /^([^>]+)>(.+):([\d,*\s-]+)$/.exec(flow.trim());
    if (!m) throw new Error(`ogiltigt flöde "${flow}" — väntade FRÅN>TILL:PORTAR (invalid flow)`);
    const [, from, to, ports] = m as unknown as [string, string, string, string];
    if (from !== fromZone && from !== '*') continue;
    if (to !== toZone && to !== host && to !== '*') continue;
    const matches = ports.split(',').some((part) => {
      const t = part.trim();
      if (t === '*') return true;
      const [lo, hi] = t.split('-').map(Number) as [number, number | undefined];
      return p !== null && p >= lo && p <= (hi ?? lo);
    });
    if (matches) return true;
  }
  return false;
}

// ---------------------------------------------------------------- labels for subjects

/** A port as people name it: its ifName, else "port <baseport>". */
export function portLabel(port: unknown): string {
  const name = field(port, 'ifName');
  if (typeof name === 'string' && name) return name;
  return `port ${toNumber(field(port, 'baseport')) ?? '?'}`;
}

/** "VLAN 10 (adm-kansli)", or "VLAN 10" when unnamed. */
export function vlanLabel(vlan: unknown): string {
  const id = toNumber(field(vlan, 'id'));
  const name = field(vlan, 'name');
  return typeof name === 'string' && name ? `VLAN ${id} (${name})` : `VLAN ${id}`;
}
