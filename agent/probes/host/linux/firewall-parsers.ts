export type InputPolicy = 'accept' | 'drop' | 'reject';

export interface BackendState {
  /** Filtering happens on incoming traffic: a drop policy, or a drop/reject rule reachable from input. */
  active: boolean;
  ruleCount: number | null;
  inputPolicy: InputPolicy | null;
}

interface NftChain {
  family: string;
  table: string;
  name: string;
  hook?: string;
  type?: string;
  policy?: string;
}

interface NftRule {
  family: string;
  table: string;
  chain: string;
  expr?: unknown[];
}

/** Walks an nft JSON expression for verdicts: jumps/gotos to follow, drop or reject to note. */
function scanExpression(node: unknown, found: { targets: string[]; blocks: boolean }): void {
  if (Array.isArray(node)) {
    for (const item of node) scanExpression(item, found);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'drop' || key === 'reject') found.blocks = true;
    if ((key === 'jump' || key === 'goto') && value && typeof value === 'object' && 'target' in value) {
      found.targets.push(String((value as { target: unknown }).target));
    }
    scanExpression(value, found);
  }
}

/**
 * Parses `nft -j list ruleset`. Counts the rules of every filter chain hooked to input and
 * of the chains they jump to; the input policy is the strictest of those base chains.
 */
export function parseNftRuleset(text: string): BackendState {
  const parsed = JSON.parse(text) as { nftables?: unknown[] };
  if (!parsed || !Array.isArray(parsed.nftables)) throw new Error('nft -j did not print an "nftables" array');
  const chains: NftChain[] = [];
  const rules: NftRule[] = [];
  for (const item of parsed.nftables) {
    if (item && typeof item === 'object') {
      if ('chain' in item) chains.push((item as { chain: NftChain }).chain);
      if ('rule' in item) rules.push((item as { rule: NftRule }).rule);
    }
  }
  const inputChains = chains.filter((ch) => ch.hook === 'input' && (ch.type ?? 'filter') === 'filter' && ['ip', 'ip6', 'inet'].includes(ch.family));
  if (inputChains.length === 0) return { active: false, ruleCount: 0, inputPolicy: null };

  const key = (family: string, table: string, chain: string): string => `${family}\u0000${table}\u0000${chain}`;
  const rulesByChain = new Map<string, NftRule[]>();
  for (const rule of rules) {
    const k = key(rule.family, rule.table, rule.chain);
    rulesByChain.set(k, [...(rulesByChain.get(k) ?? []), rule]);
  }
  const visited = new Set<string>();
  let ruleCount = 0;
  let blocks = false;
  const queue = inputChains.map((ch) => ({ family: ch.family, table: ch.table, chain: ch.name }));
  while (queue.length > 0) {
    const next = queue.shift()!;
    const k = key(next.family, next.table, next.chain);
    if (visited.has(k)) continue;
    visited.add(k);
    for (const rule of rulesByChain.get(k) ?? []) {
      ruleCount += 1;
      const found = { targets: [] as string[], blocks: false };
      scanExpression(rule.expr ?? [], found);
      blocks ||= found.blocks;
      for (const target of found.targets) queue.push({ family: next.family, table: next.table, chain: target });
    }
  }
  const dropPolicy = inputChains.some((ch) => ch.policy === 'drop');
  return { active: dropPolicy || blocks, ruleCount, inputPolicy: dropPolicy ? 'drop' : 'accept' };
}

/**
 * Parses the filter table of `iptables-save` (or `iptables -S`, which prints the same
 * rules as `-P`/`-A` lines). Follows jumps from INPUT into user chains.
 */
export function parseIptablesRules(text: string): BackendState {
  const lines = text.split('\n').map((l) => l.trim());
  const hasTables = lines.some((l) => l.startsWith('*'));
  let inFilter = !hasTables; // iptables -S prints only the filter table, without headers.
  let policy: string | null = null;
  const rules = new Map<string, string[]>();
  for (const line of lines) {
    if (line.startsWith('*')) {
      inFilter = line === '*filter';
      continue;
    }
    if (!inFilter) continue;
    const chainHeader = /^:INPUT (\S+)/.exec(line) ?? /^-P INPUT (\S+)/.exec(line);
    if (chainHeader?.[1]) policy = chainHeader[1];
    const rule = /^-A (\S+) (.*)$/.exec(line);
    if (rule?.[1] && rule[2] !== undefined) rules.set(rule[1], [...(rules.get(rule[1]) ?? []), rule[2]]);
  }
  // No filter table loaded at all (iptables-nft before first use): nothing filters.
  if (policy === null && rules.size === 0) return { active: false, ruleCount: 0, inputPolicy: null };
  const visited = new Set<string>();
  const queue = ['INPUT'];
  let ruleCount = 0;
  let blocks = false;
  while (queue.length > 0) {
    const chain = queue.shift()!;
    if (visited.has(chain)) continue;
    visited.add(chain);
    for (const rule of rules.get(chain) ?? []) {
      ruleCount += 1;
      const target = /(?:^|\s)-[jg] (\S+)/.exec(rule)?.[1];
      if (target === 'DROP' || target === 'REJECT') blocks = true;
      else if (target && rules.has(target)) queue.push(target);
    }
  }
  const inputPolicy = policy === 'DROP' ? 'drop' : 'accept';
  return { active: inputPolicy === 'drop' || blocks, ruleCount, inputPolicy };
}

/** Parses `ufw status verbose`. */
export function parseUfwStatus(text: string): BackendState {
  const status = /^Status:\s*(\S+)/m.exec(text)?.[1];
  if (!status) throw new Error('ufw status printed no "Status:" line');
  if (status !== 'active') return { active: false, ruleCount: 0, inputPolicy: null };
  const incoming = /^Default:\s*(\w+) \(incoming\)/m.exec(text)?.[1];
  const inputPolicy: InputPolicy | null = incoming === 'deny' ? 'drop' : incoming === 'reject' ? 'reject' : incoming === 'allow' ? 'accept' : null;
  const table = text.split(/^--\s.*$/m)[1] ?? '';
  const ruleCount = table.split('\n').filter((line) => line.trim() !== '').length;
  return { active: true, ruleCount, inputPolicy };
}

/** Parses `firewall-cmd --state`: `running` (exit 0) or `not running` (exit 252). */
export function parseFirewalldState(text: string): boolean {
  return text.trim() === 'running';
}
