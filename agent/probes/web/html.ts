/**
 * Just enough HTML reading for a login page: forms with their hidden inputs, and a meta
 * refresh. Linear scans with indexOf and bounded regular expressions; no DOM, no scripts.
 */

export interface HtmlForm {
  action: string | null;
  method: string;
  inputs: Map<string, string>;
}

const MAX_FORMS = 50;
const MAX_INPUTS = 200;
const ATTRIBUTE = /([A-Za-z_:][-A-Za-z0-9_:.]*)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

/** The attributes of one start tag's inside (`form action="…" method=post`), names in lower case. */
export function attributes(tag: string): Map<string, string> {
  const result = new Map<string, string>();
  // Skip the element name.
  const rest = tag.replace(/^<?\s*[A-Za-z][A-Za-z0-9-]*/, '');
  for (const m of rest.matchAll(ATTRIBUTE)) {
    const name = m[1]!.toLowerCase();
    if (!result.has(name)) result.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return result;
}

/** Start tags of one element in order, e.g. every `<input …>`, each as its text without `<` and `>`. */
function startTags(html: string, element: string, from = 0, to = html.length, limit = MAX_INPUTS): { tag: string; at: number; end: number }[] {
  const lower = html.toLowerCase();
  const open = `<${element}`;
  const tags: { tag: string; at: number; end: number }[] = [];
  let at = lower.indexOf(open, from);
  while (at !== -1 && at < to && tags.length < limit) {
    const after = lower[at + open.length];
    const end = lower.indexOf('>', at);
    if (end === -1) break;
    if (after === undefined || /[\s/>]/.test(after)) tags.push({ tag: html.slice(at + 1, end), at, end: end + 1 });
    at = lower.indexOf(open, end);
  }
  return tags;
}

export function findForms(html: string): HtmlForm[] {
  const lower = html.toLowerCase();
  return startTags(html, 'form', 0, html.length, MAX_FORMS).map(({ tag, end }) => {
    const close = lower.indexOf('</form', end);
    const attrs = attributes(tag);
    const inputs = new Map<string, string>();
    for (const input of startTags(html, 'input', end, close === -1 ? html.length : close)) {
      const a = attributes(input.tag);
      const name = a.get('name');
      if (name && !inputs.has(name)) inputs.set(name, a.get('value') ?? '');
    }
    return { action: attrs.get('action') ?? null, method: (attrs.get('method') ?? 'get').toLowerCase(), inputs };
  });
}

/** The target of `<meta http-equiv="refresh" content="0; url=…">`, when there is one. */
export function metaRefresh(html: string): string | null {
  for (const { tag } of startTags(html, 'meta', 0, html.length, MAX_INPUTS)) {
    const a = attributes(tag);
    if (a.get('http-equiv')?.toLowerCase() !== 'refresh') continue;
    const m = /^\s*\d*(?:\.\d*)?\s*[;,]\s*(?:url\s*=\s*)?['"]?([^'"]+)['"]?\s*$/i.exec(a.get('content') ?? '');
    if (m?.[1]) return m[1].trim();
  }
  return null;
}
