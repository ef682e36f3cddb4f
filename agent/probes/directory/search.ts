import type { Client, Entry } from 'ldapts';

export interface SearchLimits {
  pageSize: number;
  /** More entries than this in one search is an error, not a silently truncated answer. */
  maxEntries: number;
  /** Sent to the server as the search time limit; the client's own timeout bounds each request too. */
  timeLimitSeconds: number;
}

/**
 * One entry, read by attribute name in any case (servers return names in their own case).
 * Lookups go straight to the entry and fall back to a case-insensitive scan, so a page of
 * 1000 entries is not copied.
 */
export class Row {
  constructor(private readonly entry: Entry) {
    this.dn = entry.dn;
  }

  readonly dn: string;

  private raw(attribute: string): Entry[string] | undefined {
    const direct = this.entry[attribute];
    if (direct !== undefined) return direct;
    const lower = attribute.toLowerCase();
    for (const key of Object.keys(this.entry)) if (key !== 'dn' && key.toLowerCase() === lower) return this.entry[key];
    return undefined;
  }

  /** The first value as text; undefined when the attribute is missing or empty. */
  get(attribute: string): string | undefined {
    const value = this.raw(attribute);
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : String(first);
  }

  all(attribute: string): string[] {
    const value = this.raw(attribute);
    if (value === undefined) return [];
    return (Array.isArray(value) ? value : [value]).map(String);
  }

  buffer(attribute: string): Buffer | undefined {
    const value = this.raw(attribute);
    const first = Array.isArray(value) ? value[0] : value;
    return Buffer.isBuffer(first) ? first : undefined;
  }
}

export class SearchLimitError extends Error {
  constructor(base: string, limit: number) {
    super(`sökningen under ${base} gav fler än ${limit} poster; höj maxEntries eller begränsa base (more than ${limit} entries)`);
    this.name = 'SearchLimitError';
  }
}

export interface SearchSpec {
  filter: string;
  attributes: string[];
  scope?: 'base' | 'one' | 'sub';
  /** Binary attributes (objectSid) returned as Buffers. */
  buffers?: string[];
}

/**
 * Paged searches with bounds on size and time. Rows are handed over page by page, so a
 * directory of 100,000 users is never held in memory as raw entries. Continuation
 * references (AD's DomainDnsZones, Configuration) are recorded, not followed: they lead
 * to other partitions, and following them would bind elsewhere with the same password.
 */
export class DirectoryReader {
  readonly referrals = new Set<string>();

  constructor(private readonly client: Client, private readonly limits: SearchLimits) {}

  async each(base: string, spec: SearchSpec, onRow: (row: Row) => void): Promise<number> {
    let count = 0;
    const pages = this.client.searchPaginated(base, {
      scope: spec.scope ?? 'sub',
      filter: spec.filter,
      attributes: spec.attributes,
      explicitBufferAttributes: spec.buffers ?? [],
      paged: { pageSize: this.limits.pageSize },
      timeLimit: this.limits.timeLimitSeconds,
    });
    for await (const page of pages) {
      for (const ref of page.searchReferences) if (this.referrals.size < 100) this.referrals.add(ref.slice(0, 256));
      count += page.searchEntries.length;
      if (count > this.limits.maxEntries) throw new SearchLimitError(base, this.limits.maxEntries);
      for (const entry of page.searchEntries) onRow(new Row(entry));
    }
    return count;
  }

  async all(base: string, spec: SearchSpec): Promise<Row[]> {
    const rows: Row[] = [];
    await this.each(base, spec, (row) => rows.push(row));
    return rows;
  }

  /** A base search; null when the entry does not exist. */
  async one(dn: string, attributes: string[], buffers: string[] = []): Promise<Row | null> {
    try {
      const { searchEntries } = await this.client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes, explicitBufferAttributes: buffers, timeLimit: this.limits.timeLimitSeconds });
      return searchEntries[0] ? new Row(searchEntries[0]) : null;
    } catch (error) {
      if ((error as Error).name === 'NoSuchObjectError') return null;
      throw error;
    }
  }
}

/** Escapes a value for use inside an LDAP filter (RFC 4515). */
export function escapeFilter(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
