import type { Fact } from '../../../report/schema.js';
import { MAX_GROUP_MEMBERS, MAX_LISTED_ACCOUNTS } from '../../../report/facts/directory.js';
import { FactError, observe, UnsupportedFact, type Observation } from '../fact.js';
import type { BindMethod } from './connection.js';
import { describeLdapError } from './errors.js';
import type { DirectoryEntry } from './options.js';
import type { DirectoryReader, Row } from './search.js';

/** What every directory reader gets: the connection, the settings and a clock. */
export interface DirectoryContext {
  entry: DirectoryEntry;
  reader: DirectoryReader;
  rootDse: Row;
  namingContext: string;
  bind: BindMethod;
  now: Date;
  /** `ldaps://dc1.kommun.se` — part of every fact's source. */
  server: string;
}

export function accountClass(names: Iterable<string>, attribute: string) {
  // Code-point order: stable across locales, and fast for lists of thousands.
  const all = [...names].sort();
  return { count: all.length, accounts: all.slice(0, MAX_LISTED_ACCOUNTS), attribute };
}

/** The `enabledAccounts` fact: every enabled account's login name, sorted, bounded like group members. */
export function enabledAccountsValue(names: readonly string[], attributes: { accounts: string; enabled: string }) {
  const all = [...names].sort();
  return { count: all.length, accounts: all.slice(0, MAX_GROUP_MEMBERS), attributes };
}

/** Runs a promise once, however many facts need it; a failure fails each of them. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}

export function collectFact(ctx: DirectoryContext, name: string, attributes: string, collect: () => Promise<unknown>): Promise<Fact> {
  const source = `LDAP ${ctx.server} ${attributes}`;
  return observe(
    name,
    source,
    async (): Promise<Observation> => {
      try {
        return { value: await collect(), source };
      } catch (error) {
        if (error instanceof UnsupportedFact || error instanceof FactError) throw error;
        throw new FactError(describeLdapError(error), source);
      }
    },
    () => ctx.now,
  );
}

export function unsupported(ctx: DirectoryContext, name: string, reason: string): Fact {
  return { name, status: 'unsupported', source: `LDAP ${ctx.server}`, collectedAt: ctx.now.toISOString(), reason };
}

/** An attribute that must be there; its absence is an error with the entry and attribute named. */
export function required(row: Row, attribute: string): string {
  const value = row.get(attribute);
  if (value === undefined) throw new FactError(`attributet ${attribute} saknas på ${row.dn} (attribute missing)`);
  return value;
}

/** DC=kommun,DC=se → kommun.se; null when the DN has no DC components. */
export function dnsNameOf(dn: string): string | null {
  const parts = [...dn.matchAll(/(?:^|,)\s*DC=([^,]+)/gi)].map((m) => m[1]!.trim());
  return parts.length > 0 ? parts.join('.').toLowerCase() : null;
}
