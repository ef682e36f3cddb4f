import { readFile } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import { Client } from 'ldapts';
import type { DirectoryEntry } from './options.js';
import { describeLdapError } from './errors.js';

export type BindMethod = 'ldaps' | 'starttls' | 'plain';

export interface DirectoryConnection {
  client: Client;
  bind: BindMethod;
  host: string;
  close(): Promise<void>;
}

/** Thrown when the probe cannot connect or bind; the reason goes on every fact of the target. */
export class ConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionError';
  }
}

export function urlHost(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '');
}

/** The bind password, from a file or an environment variable; never from the options themselves. */
export async function readBindPassword(entry: DirectoryEntry, read: (path: string) => Promise<string> = (p) => readFile(p, 'utf8')): Promise<string> {
  if (entry.passwordEnv !== undefined) {
    const value = process.env[entry.passwordEnv];
    if (!value) throw new ConnectionError(`miljövariabeln ${entry.passwordEnv} är tom eller saknas (bind password environment variable not set)`);
    return value;
  }
  if (entry.passwordFile === undefined) throw new ConnectionError('inget lösenord angivet: passwordFile eller passwordEnv (no bind password configured)');
  let text: string;
  try {
    text = await read(entry.passwordFile);
  } catch (error) {
    throw new ConnectionError(`lösenordsfilen ${entry.passwordFile} kunde inte läsas (password file unreadable): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  // One trailing newline is the file's, not the password's.
  const password = text.replace(/\r?\n$/, '');
  if (!password) throw new ConnectionError(`lösenordsfilen ${entry.passwordFile} är tom (password file empty)`);
  return password;
}

async function tlsOptions(entry: DirectoryEntry, host: string): Promise<ConnectionOptions> {
  // host: with StartTLS Node would otherwise check the certificate against "localhost".
  const options: ConnectionOptions = { rejectUnauthorized: true, minVersion: 'TLSv1.2', host };
  if (entry.caFile) {
    try {
      options.ca = [await readFile(entry.caFile, 'utf8')];
    } catch (error) {
      throw new ConnectionError(`CA-filen ${entry.caFile} kunde inte läsas (CA file unreadable): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  // Node checks an IP address only against IP SANs; a name given here is checked instead.
  if (entry.tlsServerName) options.servername = entry.tlsServerName;
  else if (!/^[\d.]+$|:/.test(host)) options.servername = host;
  return options;
}

/**
 * Connects and binds. ldaps:// uses TLS from the start; ldap:// upgrades with StartTLS
 * before the password is sent, unless allowPlainBind says to bind without encryption.
 * Certificates are always verified.
 */
export async function connect(entry: DirectoryEntry, password: string): Promise<DirectoryConnection> {
  const host = urlHost(entry.url);
  const secure = /^ldaps:/i.test(entry.url);
  const tls = await tlsOptions(entry, host);
  const timeoutMs = entry.timeoutSeconds * 1000;
  // ldapts speaks TLS from the first byte whenever tlsOptions is set, so only for ldaps://.
  const client = new Client({ url: entry.url, timeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 10_000), ...(secure ? { tlsOptions: tls } : {}), strictDN: false });
  const close = async (): Promise<void> => {
    try {
      await client.unbind();
    } catch {
      // the connection is gone already
    }
  };
  let bind: BindMethod = secure ? 'ldaps' : 'plain';
  try {
    if (!secure && !entry.allowPlainBind) {
      await client.startTLS(tls);
      bind = 'starttls';
    }
    await client.bind(entry.bindDn, password);
  } catch (error) {
    await close();
    const step = bind === 'plain' && !entry.allowPlainBind ? 'StartTLS' : 'bind';
    throw new ConnectionError(`${step} mot ${entry.url} misslyckades (${step} failed): ${describeLdapError(error)}`);
  }
  return { client, bind, host, close };
}
