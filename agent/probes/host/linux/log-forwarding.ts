function formatTarget(protocol: string, host: string, port: number): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${protocol}://${h}:${port}`.slice(0, 256);
}

function stripComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
}

function parameters(text: string): Map<string, string> {
  const params = new Map<string, string>();
  // Values may be quoted or bare (`Port=514`); names are case-insensitive (`Target=`).
  for (const match of text.matchAll(/([\w.]+)\s*=\s*(?:"([^"]*)"|([^\s")]+))/g)) {
    if (match[1]) params.set(match[1].toLowerCase(), match[2] ?? match[3] ?? '');
  }
  return params;
}

/**
 * Forward targets in an rsyslog configuration: legacy `*.* @host`, `@@host:port` (TCP),
 * `:omrelp:host:port`, and RainerScript `action(type="omfwd" target=… port=… protocol=…)`.
 */
export function parseRsyslogForwarding(text: string): string[] {
  const clean = stripComments(text);
  const targets: string[] = [];
  for (const line of clean.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('$') || /^(module|input|global|template|ruleset|action|if|set)\b/.test(trimmed)) continue;
    const legacy = /(?:^|\s)(@@?)(?:\([^)]*\))?(\[[^\]]+\]|[^\s:;]+)(?::(\d+))?/.exec(trimmed);
    if (legacy?.[1] && legacy[2]) {
      targets.push(formatTarget(legacy[1] === '@@' ? 'tcp' : 'udp', legacy[2].replace(/^\[|\]$/g, ''), Number(legacy[3] ?? 514)));
      continue;
    }
    const relp = /(?:^|\s):omrelp:(\[[^\]]+\]|[^\s:;]+)(?::(\d+))?/.exec(trimmed);
    if (relp?.[1]) targets.push(formatTarget('relp', relp[1].replace(/^\[|\]$/g, ''), Number(relp[2] ?? 514)));
  }
  for (const match of clean.matchAll(/\baction\s*\(([^)]*)\)/g)) {
    const params = parameters(match[1] ?? '');
    const type = params.get('type');
    const target = params.get('target');
    if (!target || (type !== 'omfwd' && type !== 'omrelp')) continue;
    const protocol = type === 'omrelp' ? 'relp' : (params.get('protocol') ?? 'udp').toLowerCase();
    targets.push(formatTarget(protocol, target, Number(params.get('port') ?? 514)));
  }
  return [...new Set(targets)];
}

/** The text inside balanced delimiters starting at `open` (the index of the opening one). */
function balanced(text: string, open: number, left: string, right: string): string | null {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' && text[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (ch === left) depth += 1;
    if (ch === right) {
      depth -= 1;
      if (depth === 0) return text.slice(open + 1, i);
    }
  }
  return null;
}

const SYSLOG_NG_DRIVERS: Record<string, { protocol: string; port: number }> = {
  network: { protocol: 'tcp', port: 514 },
  syslog: { protocol: 'tcp', port: 601 },
  tcp: { protocol: 'tcp', port: 514 },
  tcp6: { protocol: 'tcp', port: 514 },
  udp: { protocol: 'udp', port: 514 },
  udp6: { protocol: 'udp', port: 514 },
};

/** Network destinations in a syslog-ng configuration: `destination d { network("host" port(514) transport("tcp")); };`. */
export function parseSyslogNgForwarding(text: string): string[] {
  const clean = stripComments(text);
  const targets: string[] = [];
  for (const block of clean.matchAll(/\bdestination\s+[\w-]+\s*\{/g)) {
    const body = balanced(clean, (block.index ?? 0) + block[0].length - 1, '{', '}') ?? '';
    for (const driver of body.matchAll(/\b(network|syslog|tcp6?|udp6?)\s*\(/g)) {
      const name = driver[1] ?? '';
      const defaults = SYSLOG_NG_DRIVERS[name];
      const args = balanced(body, (driver.index ?? 0) + driver[0].length - 1, '(', ')');
      if (!defaults || args === null) continue;
      const host = /^\s*"([^"]+)"/.exec(args)?.[1] ?? /^\s*([\w.:-]+)/.exec(args)?.[1];
      if (!host) continue;
      const transport = /\btransport\s*\(\s*"?(\w+)"?\s*\)/.exec(args)?.[1]?.toLowerCase();
      const port = /\bport\s*\(\s*(\d+)\s*\)/.exec(args)?.[1];
      targets.push(formatTarget(transport ?? defaults.protocol, host, Number(port ?? defaults.port)));
    }
  }
  return [...new Set(targets)];
}
