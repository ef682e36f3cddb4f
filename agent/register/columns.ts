import { REMOTE_ACCESS_ROUTES, type LoginMethod, type SystemCategory } from './schema.js';

/**
 * The columns of a register spreadsheet: Swedish headers first, English aliases after.
 * Headers match ignoring case, spaces, punctuation and diacritics ("Systemägare",
 * "systemagare" and "SYSTEM-ÄGARE" are one column).
 */

export type CellValue = string | number | boolean | string[] | Record<string, unknown>[] | { allowed: boolean; via?: string };

/** A cell's value, or what was wrong with it (Swedish, with the English gist). */
export type CellResult = { value: CellValue } | { problem: string };

export interface Column {
  /** Where the value goes in a system entry. */
  path: readonly string[];
  headers: readonly string[];
  parse: (cell: string) => CellResult;
}

/** "Systemägare " → "systemagare": lower case, no diacritics, letters and digits only. */
export function foldHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const YES = new Set(['ja', 'j', 'yes', 'y', 'true', 'sant', 'x', '1']);
const NO = new Set(['nej', 'n', 'no', 'false', 'falskt', '0']);
const YES_NO = 'förväntade ja eller nej (expected yes or no)';

const text = (cell: string): CellResult => ({ value: cell });

function bool(cell: string): CellResult {
  const folded = foldHeader(cell);
  if (YES.has(folded)) return { value: true };
  if (NO.has(folded)) return { value: false };
  return { problem: `${JSON.stringify(cell)} — ${YES_NO}` };
}

/** Whole numbers become numbers; anything else goes on to the schema, which says what a level is. */
function integer(cell: string): CellResult {
  return /^\d+$/.test(cell) ? { value: Number(cell) } : { value: cell };
}

/** Dates as Swedish Excel writes them (2025-03-01, sometimes with a midnight time); the schema checks the rest. */
function date(cell: string): CellResult {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T]0?0:00(?::00)?)?$/.exec(cell);
  return { value: match ? match[1]! : cell };
}

/** A list in one cell: items separated by "|" or line breaks (DNs contain commas). */
export function splitList(cell: string): string[] {
  return cell
    .split(/[|\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const list = (cell: string): CellResult => ({ value: splitList(cell) });

function choice<T extends string>(values: Record<string, T>, expected: string) {
  return (cell: string): CellResult => {
    const found = values[foldHeader(cell)];
    return found ? { value: found } : { problem: `${JSON.stringify(cell)} — förväntade ${expected}` };
  };
}

const category = choice<SystemCategory>(
  {
    verksamhetssystem: 'business',
    verksamhet: 'business',
    business: 'business',
    fjarratkomst: 'remote-access',
    remoteaccess: 'remote-access',
    epost: 'mail',
    mail: 'mail',
    katalog: 'directory',
    katalogtjanst: 'directory',
    directory: 'directory',
    infrastruktur: 'infrastructure',
    infrastructure: 'infrastructure',
  },
  'verksamhetssystem, fjärråtkomst, e-post, katalogtjänst eller infrastruktur (business, remote-access, mail, directory, infrastructure)',
);

const loginMethod = choice<LoginMethod>(
  {
    saml: 'saml',
    oidc: 'oidc',
    openid: 'oidc',
    openidconnect: 'oidc',
    kerberos: 'kerberos',
    ldap: 'ldap',
    ingen: 'none',
    lokal: 'none',
    lokala: 'none',
    lokalakonton: 'none',
    none: 'none',
    local: 'none',
  },
  'saml, oidc, kerberos, ldap eller lokal (saml, oidc, kerberos, ldap or none)',
);

const ROUTE_ALIASES: Record<string, string> = { citrix: 'gateway', rdgateway: 'gateway', rdg: 'gateway', webb: 'internet', publik: 'internet' };

/** "nej", "ja", "vpn", "ja (vpn)", "internet", "gateway". */
function remoteAccess(cell: string): CellResult {
  const words = cell
    .toLowerCase()
    .split(/[^\p{L}\p{N}-]+/u)
    .map((w) => ROUTE_ALIASES[foldHeader(w)] ?? foldHeader(w))
    .filter((w) => w !== '');
  if (words.length === 1 && NO.has(words[0]!)) return { value: { allowed: false } };
  const via = words.find((w) => (REMOTE_ACCESS_ROUTES as readonly string[]).includes(w));
  const rest = words.filter((w) => w !== via && !YES.has(w));
  if (rest.length > 0 || words.length === 0) {
    return { problem: `${JSON.stringify(cell)} — förväntade nej, ja, vpn, gateway eller internet (expected no, yes or the route)` };
  }
  return { value: via ? { allowed: true, via } : { allowed: true } };
}

/** "smtp://mail.amal.se:25 | ldaps://dc1.amal.se" → endpoints. */
function endpoints(cell: string): CellResult {
  const out: Record<string, unknown>[] = [];
  for (const item of splitList(cell)) {
    const match = /^([a-z]+):\/\/(\[[0-9a-f:.]+\]|[^:/\s]+)(?::(\d{1,5}))?\/?$/i.exec(item);
    if (!match) return { problem: `${JSON.stringify(item)} — förväntade protokoll://värd[:port], t.ex. smtp://mail.amal.se:25 (expected protocol://host[:port])` };
    const host = match[2]!.replace(/^\[|\]$/g, '');
    out.push({ protocol: match[1]!.toLowerCase(), host, ...(match[3] ? { port: Number(match[3]) } : {}) });
  }
  return { value: out };
}

const column = (path: string, headers: string[], parse: Column['parse'] = text): Column => ({ path: path.split('.'), headers, parse });

export const COLUMNS: readonly Column[] = [
  column('id', ['id', 'system-id']),
  column('name', ['system', 'systemnamn', 'namn', 'name']),
  column('category', ['kategori', 'typ', 'category'], category),
  column('purpose', ['syfte', 'ändamål', 'beskrivning', 'purpose']),
  column('owner.name', ['systemägare', 'ägare', 'owner']),
  column('owner.role', ['systemägarens roll', 'systemägare roll', 'owner role']),
  column('owner.email', ['systemägarens e-post', 'systemägare e-post', 'owner email']),
  column('administrator.name', ['förvaltare', 'systemförvaltare', 'administrator']),
  column('administrator.role', ['förvaltarens roll', 'förvaltare roll', 'administrator role']),
  column('administrator.email', ['förvaltarens e-post', 'förvaltare e-post', 'administrator email']),
  column('classification.confidentiality', ['K', 'konfidentialitet', 'confidentiality'], integer),
  column('classification.integrity', ['R', 'riktighet', 'integrity'], integer),
  column('classification.availability', ['T', 'tillgänglighet', 'availability'], integer),
  column('classification.assessedAt', ['klassad', 'klassning gjord', 'klassningsdatum', 'classified'], date),
  column('businessCritical', ['verksamhetskritisk', 'business critical'], bool),
  column('personalData', ['personuppgifter', 'personal data'], bool),
  column('sensitive', ['känsligt', 'känslig', 'sensitive'], bool),
  column('operatingAgreement.reference', ['driftavtal', 'operating agreement']),
  column('operatingAgreement.supplier', ['leverantör', 'driftleverantör', 'supplier']),
  column('operatingAgreement.validUntil', ['driftavtal giltigt till', 'avtal giltigt till', 'agreement valid until'], date),
  column('securityPlan.reviewedAt', ['säkerhetsplan granskad', 'security plan reviewed'], date),
  column('securityPlan.reference', ['säkerhetsplan', 'security plan']),
  column('operatingApproval.approvedAt', ['driftgodkänd', 'driftgodkännande', 'operating approval'], date),
  column('operatingApproval.approvedBy', ['driftgodkänd av', 'godkänd av', 'approved by']),
  column('authentication.sso', ['inloggning', 'autentisering', 'login', 'authentication'], loginMethod),
  column('authentication.identityProvider', ['idp', 'identitetsleverantör', 'identity provider']),
  column('authentication.mfaRequired', ['mfa', 'tvåfaktor', '2fa', 'mfa required'], bool),
  column('userGroups', ['användargrupper', 'grupper', 'user groups'], list),
  column('loginUrl', ['url', 'inloggningsadress', 'login url']),
  column('auditLogging.enabled', ['loggning', 'spårbarhet', 'audit logging'], bool),
  column('auditLogging.destination', ['loggmottagare', 'loggas till', 'log destination'], text),
  column('lastAccessReview', ['behörighetsgenomgång', 'access review'], date),
  column('backup.lastRestoreTest', ['återläsningstest', 'återställningstest', 'restore test'], date),
  column('backup.offlineCopy', ['offlinekopia', 'offline copy'], bool),
  column('remoteAccess', ['fjärråtkomst', 'remote access'], remoteAccess),
  column('secureTransfer', ['säker överföring', 'krypterad överföring', 'secure transfer'], bool),
  column('hosts', ['servrar', 'värdar', 'hosts', 'servers'], list),
  column('endpoints', ['anslutningar', 'endpoints'], endpoints),
];

/** Columns a spreadsheet may have for people; their cells are not imported. */
export const IGNORED_HEADERS: readonly string[] = ['kommentar', 'kommentarer', 'anteckningar', 'övrigt', 'comment', 'comments', 'notes'];

const BY_HEADER = new Map<string, Column>(COLUMNS.flatMap((c) => c.headers.map((h) => [foldHeader(h), c] as const)));
const IGNORED = new Set(IGNORED_HEADERS.map(foldHeader));

export function columnForHeader(header: string): Column | 'ignored' | undefined {
  const folded = foldHeader(header);
  if (IGNORED.has(folded)) return 'ignored';
  return BY_HEADER.get(folded);
}

/** Every header a user may write, for "menade du …?" hints. */
export const ALL_HEADERS: readonly string[] = [...COLUMNS.flatMap((c) => c.headers), ...IGNORED_HEADERS];

/** The Swedish header of a field path, for messages and for writing CSV. */
export function headerOf(path: string): string | undefined {
  return COLUMNS.find((c) => c.path.join('.') === path)?.headers[0];
}
