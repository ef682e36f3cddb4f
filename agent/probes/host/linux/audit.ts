/** Parses `auditctl -s`: `enabled 1` (on) or `enabled 2` (on and locked). */
export function parseAuditctlStatus(text: string): boolean {
  const match = /^enabled\s+(\d+)/m.exec(text);
  if (!match?.[1]) throw new Error('auditctl -s printed no "enabled" line');
  return match[1] === '1' || match[1] === '2';
}

/** Parses `auditctl -l`: one rule per line, or `No rules`. */
export function parseAuditctlRules(text: string): number {
  return text.split('\n').filter((line) => line.trim().startsWith('-')).length;
}
