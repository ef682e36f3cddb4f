import { closestMatch } from '../../common/suggest.js';
import type { Problem } from '../../common/validation.js';
import { InputFileError } from '../../common/yaml.js';
import { ALL_HEADERS, columnForHeader, foldHeader, headerOf, type Column } from './columns.js';
import { CsvSyntaxError, parseCsv, type CsvField, type CsvRecord } from './csv.js';
import { validateRegister, type LoadedRegister, type RegisterLoadOptions } from './validate.js';
import { ID_PATTERN } from './schema.js';

/**
 * A register kept as a spreadsheet: one system per row, the columns in columns.ts. The
 * rows become a register and go through the same validation as the YAML file; every
 * problem names the CSV line and the column header, all at once, and nothing is returned
 * when any row is wrong.
 */

interface ImportedRow {
  line: number;
  /** The column and cell each field path came from, for messages. */
  cells: Map<string, CellRef>;
  system: Record<string, unknown>;
}

interface HeaderColumn {
  header: string;
  column: Column | 'ignored';
}

/** "Procapita IFO" → "procapita-ifo": an id from a name when the sheet has no id column. */
export function slugId(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
}

function readHeader(record: CsvRecord, problems: Problem[]): HeaderColumn[] {
  const columns: HeaderColumn[] = [];
  const seen = new Map<string, string>();
  for (const field of record.fields) {
    const header = field.value.trim();
    if (header === '') {
      columns.push({ header: '', column: 'ignored' });
      continue;
    }
    const column = columnForHeader(header);
    if (!column) {
      const suggestion = closestMatch(foldHeader(header), ALL_HEADERS.map(foldHeader));
      const readable = suggestion ? ALL_HEADERS.find((h) => foldHeader(h) === suggestion) : undefined;
      problems.push({
        path: header,
        line: field.line,
        message: `okänd kolumn (unknown column)${readable ? ` — menade du "${readable}"? (did you mean)` : ''}; kolumner: ${ALL_HEADERS.slice(0, 12).join(', ')} … (se config/system-register.example.csv)`,
      });
      columns.push({ header, column: 'ignored' }); // keeps the following columns in their places
      continue;
    }
    if (column !== 'ignored') {
      const key = column.path.join('.');
      const first = seen.get(key);
      if (first !== undefined) {
        problems.push({ path: header, line: field.line, message: `samma uppgift som kolumnen "${first}" — ta bort den ena (duplicate column)` });
        columns.push({ header, column: 'ignored' });
        continue;
      }
      seen.set(key, header);
    }
    columns.push({ header, column });
  }
  if (!columns.some((c) => c.column !== 'ignored' && c.column.path.join('.') === 'name')) {
    problems.push({ path: '', line: record.line, message: 'kolumnen "system" (systemets namn) saknas i rubrikraden (the name column is missing)' });
  }
  return columns;
}

function readRow(record: CsvRecord, header: HeaderColumn[], problems: Problem[]): ImportedRow | undefined {
  const fields: CsvField[] = record.fields;
  if (fields.every((f) => f.value.trim() === '')) return undefined;
  const extra = fields.slice(header.length).filter((f) => f.value.trim() !== '');
  if (extra.length > 0) {
    problems.push({
      path: '',
      line: extra[0]!.line,
      message: `raden har ${fields.length} fält men rubrikraden ${header.length} — ett semikolon eller komma för mycket, eller ett fält som borde stå inom "…" (more fields than the header)`,
    });
  }
  const row: ImportedRow = { line: record.line, cells: new Map(), system: {} };
  header.forEach(({ header: name, column }, i) => {
    if (column === 'ignored') return;
    const field = fields[i];
    const cell = field?.value.trim() ?? '';
    const line = field?.line ?? record.line;
    const key = column.path.join('.');
    row.cells.set(key, { header: name, line });
    if (cell === '') return;
    const result = column.parse(cell);
    if ('problem' in result) {
      problems.push({ path: name, line, message: result.problem });
      row.cells.set(key, { header: name, line, reported: true });
      return;
    }
    setPath(row.system, column.path, result.value);
  });
  // Most rows of a register are business systems; a sheet without the column means them all.
  row.system.category ??= 'business';
  return row;
}

/** Rows without an id get one from their name. */
function assignIds(rows: ImportedRow[], problems: Problem[]): void {
  for (const row of rows) {
    if (row.system.id !== undefined) continue;
    const name = typeof row.system.name === 'string' ? row.system.name : '';
    const cell = row.cells.get('name')!;
    const id = slugId(name);
    if (name !== '' && ID_PATTERN.test(id)) {
      row.system.id = id;
      row.cells.set('id', cell);
      continue;
    }
    // No name: the schema says so at the name's column; the id it would have had is not another problem.
    if (name !== '') problems.push({ path: cell.header, line: cell.line, message: `kan inte bilda ett id av ${JSON.stringify(name)} — lägg till en kolumn "id" (cannot derive an id)` });
    row.cells.set('id', { ...cell, reported: true });
  }
}

interface IdpSlot {
  id: string;
  protocol: string;
  url: string;
}

/** An identity provider given by its address in a cell is declared once, named by host and protocol. */
function declareIdentityProviders(rows: ImportedRow[], base: LoadedRegister | undefined, problems: Problem[]): IdpSlot[] | undefined {
  const idps: IdpSlot[] = (base?.register.identityProviders ?? []).map(({ id, protocol, url }) => ({ id, protocol, url }));
  const declared: IdpSlot[] = [];
  for (const row of rows) {
    const auth = row.system.authentication as Record<string, unknown> | undefined;
    const value = auth?.identityProvider;
    if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) continue;
    const cell = row.cells.get('authentication.identityProvider')!;
    const protocol = auth!.sso;
    if (protocol !== 'saml' && protocol !== 'oidc') {
      problems.push({ path: cell.header, line: cell.line, message: `en identitetsleverantör anges bara när inloggningen är saml eller oidc, inte ${String(protocol ?? 'tom')} (only for saml or oidc)` });
      cell.reported = true;
      continue;
    }
    let found = idps.find((i) => i.url === value && i.protocol === protocol);
    if (!found) {
      let host: string;
      try {
        host = new URL(value).hostname;
      } catch {
        problems.push({ path: cell.header, line: cell.line, message: `ogiltig adress ${JSON.stringify(value)} (invalid URL)` });
        cell.reported = true;
        continue;
      }
      let id = `${slugId(host).slice(0, 56)}-${protocol}`;
      for (let n = 2; idps.some((i) => i.id === id); n++) id = `${slugId(host).slice(0, 52)}-${protocol}-${n}`;
      found = { id, protocol, url: value };
      idps.push(found);
      declared.push(found);
    }
    auth!.identityProvider = found.id;
  }
  return declared.length > 0 || base?.register.identityProviders ? idps : undefined;
}

interface CellRef {
  header: string;
  line: number;
  /** The cell's own problem is already reported; problems the schema finds there are not repeated. */
  reported?: boolean;
  /** The sheet has no such column. */
  absent?: boolean;
}

/** The column a schema problem at `path` (inside one system) belongs to. */
function cellFor(row: ImportedRow, path: readonly (string | number)[]): CellRef | undefined {
  const key = path.join('.');
  const exact = row.cells.get(key);
  if (exact) return exact;
  const header = headerOf(key);
  if (header) return { header, line: row.line, absent: true };
  for (let n = path.length - 1; n > 0; n--) {
    const prefix = path.slice(0, n).join('.');
    const cell = row.cells.get(prefix) ?? [...row.cells].find(([k]) => k.startsWith(`${prefix}.`))?.[1];
    if (cell) return cell;
  }
  return undefined;
}

export function importCsvRegister(text: string, file: string, options: RegisterLoadOptions = {}): LoadedRegister {
  let records: CsvRecord[];
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new InputFileError(file, [error.problem]);
    throw error;
  }
  const problems: Problem[] = [];
  const headerRecord = records.find((r) => r.fields.some((f) => f.value.trim() !== ''));
  if (!headerRecord) throw new InputFileError(file, [{ path: '', message: 'filen är tom — första raden ska vara kolumnrubrikerna (empty file; the first line is the header)' }]);
  if (options.base && options.base.register.systems.length > 0) {
    throw new InputFileError(options.base.file, [{ path: 'systems', message: 'grundfilen ska inte ha några system — de kommer från CSV-filen (the base file must have no systems)' }]);
  }
  const header = readHeader(headerRecord, problems);
  // Without a name column every row would fail the same way; the header problem says it once.
  if (!header.some((c) => c.column !== 'ignored' && c.column.path.join('.') === 'name')) throw new InputFileError(file, problems);
  const rows = records
    .slice(records.indexOf(headerRecord) + 1)
    .map((r) => readRow(r, header, problems))
    .filter((r): r is ImportedRow => r !== undefined);
  assignIds(rows, problems);
  const identityProviders = declareIdentityProviders(rows, options.base, problems);

  const baseRegister = options.base?.register;
  const raw: Record<string, unknown> = {
    ...(baseRegister?.tenant !== undefined ? { tenant: baseRegister.tenant } : {}),
    ...(identityProviders ? { identityProviders: identityProviders.map((i) => ({ ...baseRegister?.identityProviders?.find((b) => b.id === i.id), ...i })) } : {}),
    ...(baseRegister?.mfaGroups !== undefined ? { mfaGroups: baseRegister.mfaGroups } : {}),
    systems: rows.map((r) => r.system),
  };
  const outcome = validateRegister(raw, options, (root, index) => (root === 'systems' ? `på rad ${rows[index]?.line}` : `${root}[${index}]`));
  if (!outcome.ok) {
    const issues = [...(outcome.error?.issues ?? []).map((i) => ({ path: i.path, message: i.message })), ...outcome.cross];
    for (const issue of issues) {
      const [root, index, ...rest] = issue.path;
      const row = root === 'systems' && typeof index === 'number' ? rows[index] : undefined;
      if (!row) {
        problems.push({ path: issue.path.join('.'), message: issue.message });
        continue;
      }
      const cell = cellFor(row, rest as (string | number)[]);
      if (cell?.reported) continue;
      const absent = cell?.absent ? ` — kolumnen "${cell.header}" finns inte i filen (no such column)` : '';
      problems.push({ path: cell?.header ?? rest.join('.'), line: cell?.line ?? row.line, message: issue.message + absent });
    }
  }
  if (problems.length > 0) {
    const unique = new Map(problems.map((p) => [`${p.line}\u0000${p.path}\u0000${p.message}`, p]));
    // By line, then left to right as the columns stand in the sheet.
    const position = (p: Problem) => {
      const i = header.findIndex((c) => c.header === p.path);
      return i < 0 ? (p.path === '' ? -1 : header.length) : i;
    };
    throw new InputFileError(file, [...unique.values()].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || position(a) - position(b)));
  }
  if (!outcome.ok) throw new Error('unreachable: invalid register without problems');
  return { file, register: outcome.register, lines: rows.map((r) => r.line), notes: [] };
}
