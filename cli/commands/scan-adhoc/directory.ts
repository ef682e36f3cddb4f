import { resolve } from 'node:path';
import { z } from 'zod';
import { directoryEntrySchema, type DirectoryOptions } from '../../../agent/probes/directory/options.js';
import { stringOption, UsageError } from '../../args.js';
import type { Lang } from '../../i18n.js';
import type { AdhocProbe } from './index.js';

/** The environment variable `--password-file` can be replaced by; a password is never a flag (it would show in ps). */
export const BIND_PASSWORD_ENV = 'BASVAKT_BIND_PASSWORD';

/**
 * `basvakt scan --probe directory --url ldap[s]://HOST[:PORT] --bind-dn DN --password-file FILE
 * [--base DN] [--ca FILE] [--tls-name NAME] [--allow-plain-bind] [--privileged-group DN …]`.
 */
export const directoryAdhoc: AdhocProbe = {
  probe: 'directory',
  options: {
    url: { type: 'string', value: 'ldaps://VÄRD[:PORT]', help: { sv: 'directory: katalog att granska (ldap:// använder StartTLS)', en: 'directory: directory to audit (ldap:// uses StartTLS)' } },
    'bind-dn': { type: 'string', value: 'DN', help: { sv: 'directory: konto att binda som (läsrätt räcker)', en: 'directory: account to bind as (read access is enough)' } },
    'password-file': { type: 'string', value: 'FIL', help: { sv: `directory: fil med bind-lösenordet (eller miljövariabeln ${BIND_PASSWORD_ENV})`, en: `directory: file holding the bind password (or the ${BIND_PASSWORD_ENV} environment variable)` } },
    base: { type: 'string', value: 'DN', help: { sv: 'directory: namngivningskontext (standard: serverns)', en: "directory: naming context (default: the server's)" } },
    ca: { type: 'string', value: 'FIL', help: { sv: 'directory: CA-certifikat (PEM) för serverns certifikat', en: "directory: CA certificate (PEM) for the server's certificate" } },
    'tls-name': { type: 'string', value: 'NAMN', help: { sv: 'directory: namnet i serverns certifikat, när --url har en IP-adress', en: "directory: the name in the server's certificate, when --url has an IP address" } },
    'allow-plain-bind': { type: 'boolean', help: { sv: 'directory: binda utan kryptering (lösenordet går i klartext; blir ett fynd)', en: 'directory: bind without encryption (the password travels in clear; reported as a finding)' } },
    'privileged-group': { type: 'string', multiple: true, value: 'DN', help: { sv: 'directory: privilegierad grupp (OpenLDAP; kan upprepas)', en: 'directory: privileged group (OpenLDAP; repeatable)' } },
  },
  async fromFlags(values, lang): Promise<DirectoryOptions | undefined> {
    const url = stringOption(values, 'url');
    const bindDn = stringOption(values, 'bind-dn');
    const passwordFile = stringOption(values, 'password-file');
    if (url === undefined && bindDn === undefined && passwordFile === undefined) return undefined;
    if (!url || !bindDn) throw new UsageError(lang === 'sv' ? 'directory: --url och --bind-dn krävs tillsammans' : 'directory: --url and --bind-dn are needed together');
    if (!passwordFile && !process.env[BIND_PASSWORD_ENV]) {
      throw new UsageError(lang === 'sv' ? `directory: ange --password-file FIL eller miljövariabeln ${BIND_PASSWORD_ENV}` : `directory: give --password-file FILE or the ${BIND_PASSWORD_ENV} environment variable`);
    }
    const path = z.string().min(1).transform((p) => resolve(p));
    const parsed = directoryEntrySchema(path).safeParse({
      url,
      bindDn,
      ...(passwordFile ? { passwordFile } : { passwordEnv: BIND_PASSWORD_ENV }),
      ...(stringOption(values, 'base') ? { base: stringOption(values, 'base') } : {}),
      ...(stringOption(values, 'ca') ? { caFile: stringOption(values, 'ca') } : {}),
      ...(stringOption(values, 'tls-name') ? { tlsServerName: stringOption(values, 'tls-name') } : {}),
      allowPlainBind: values['allow-plain-bind'] === true,
      privilegedGroups: (values['privileged-group'] as string[] | undefined) ?? [],
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new UsageError(`directory: ${issue.path.join('.') || 'flaggor'}: ${issue.message}`);
    }
    return [parsed.data];
  },
};
