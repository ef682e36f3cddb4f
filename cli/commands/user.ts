import { readFile } from 'node:fs/promises';
import { hashPassword } from '../../collector/auth/passwords.js';
import { isRole, ROLES, type Grant } from '../../collector/auth/roles.js';
import { newId } from '../../collector/services/secrets.js';
import { UsageError, requireOption, stringOption } from '../args.js';
import type { Lang } from '../i18n.js';
import type { Command } from './command.js';
import { COMMAND_SUMMARIES } from './catalogue.js';
import { CONFIG_OPTION, localActor, runOnStore } from './shared.js';

function grantFrom(values: Record<string, unknown>, lang: Lang): Grant {
  const role = requireOption(values, 'role', lang);
  if (!isRole(role)) throw new UsageError(lang === 'sv' ? `okänd roll ${role}; finns: ${ROLES.join(', ')}` : `unknown role ${role}; roles: ${ROLES.join(', ')}`);
  if (role === 'admin') return { role, scopeKind: 'global', scopeId: '*' };
  if (role === 'federation-viewer') return { role, scopeKind: 'federation', scopeId: requireOption(values, 'federation', lang) };
  return { role, scopeKind: 'tenant', scopeId: requireOption(values, 'tenant', lang) };
}

export const userCommand: Command = {
  spec: {
    name: 'user',
    summary: COMMAND_SUMMARIES.user,
    usage: 'basvakt user add NAMN --role ROLL [--tenant ID | --federation ID] (--password-file FIL | --ldap-dn DN) --config FIL | basvakt user grant NAMN --role … | basvakt user list',
    positionals: [{ name: 'add NAMN | grant NAMN | list', help: { sv: 'skapa en användare, ge en roll till, eller lista', en: 'create a user, grant another role, or list' } }],
    options: {
      ...CONFIG_OPTION,
      role: { type: 'string', value: ROLES.join('|'), help: { sv: 'roll: admin, security-officer (IT-säkerhetsansvarig), technician, viewer, federation-viewer', en: 'role' } },
      tenant: { type: 'string', value: 'ID', help: { sv: 'organisationen rollen gäller', en: 'tenant the role applies to' } },
      federation: { type: 'string', value: 'ID', help: { sv: 'samverkan (för federation-viewer)', en: 'federation (for federation-viewer)' } },
      'display-name': { type: 'string', value: 'TEXT', help: { sv: 'fullständigt namn', en: 'full name' } },
      'password-file': { type: 'string', value: 'FIL', help: { sv: 'fil med lösenordet (lagras som scrypt-hash)', en: 'file with the password (stored as a scrypt hash)' } },
      'ldap-dn': { type: 'string', value: 'DN', help: { sv: 'logga in mot kommunens katalog med detta DN i stället för lösenord här', en: 'log in by LDAP bind with this DN instead' } },
    },
    examples: ['basvakt user add anna --role security-officer --tenant amal --password-file /root/anna.pw --config collector.yaml'],
  },
  run(argv, lang) {
    return runOnStore(this.spec, argv, lang, async (store, parsed) => {
      const [action, username] = parsed.positionals;
      const now = new Date();
      if (action === 'list') {
        for (const u of await store.users.list()) {
          const grants = (await store.users.grants(u.id)).map((g) => `${g.role}@${g.scopeKind === 'global' ? '*' : g.scopeId}`).join(',');
          process.stdout.write(`${u.username}\t${u.display_name}\t${u.password_hash ? 'lokal' : 'ldap'}\t${grants}\n`);
        }
        return 0;
      }
      if ((action !== 'add' && action !== 'grant') || !username) throw new UsageError(lang === 'sv' ? 'skriv "user add NAMN …", "user grant NAMN …" eller "user list"' : 'write "user add NAME …", "user grant NAME …" or "user list"');
      const grant = grantFrom(parsed.values, lang);
      if (grant.scopeKind === 'tenant' && !(await store.getTenant(grant.scopeId))) throw new UsageError(lang === 'sv' ? `okänd organisation ${grant.scopeId}` : `unknown tenant ${grant.scopeId}`);
      if (grant.scopeKind === 'federation' && !(await store.federations.get(grant.scopeId))) throw new UsageError(lang === 'sv' ? `okänd samverkan ${grant.scopeId}` : `unknown federation ${grant.scopeId}`);
      let user = await store.users.byUsername(username);
      if (action === 'add') {
        if (user) throw new UsageError(lang === 'sv' ? `användaren ${username} finns redan; använd "user grant"` : `user ${username} exists; use "user grant"`);
        const passwordFile = stringOption(parsed.values, 'password-file');
        const ldapDn = stringOption(parsed.values, 'ldap-dn');
        if (!passwordFile === !ldapDn) throw new UsageError(lang === 'sv' ? 'ange antingen --password-file eller --ldap-dn' : 'give either --password-file or --ldap-dn');
        const password = passwordFile ? (await readFile(passwordFile, 'utf8')).replace(/\r?\n$/, '') : undefined;
        if (password !== undefined && password.length < 12) throw new UsageError(lang === 'sv' ? 'lösenordet ska ha minst 12 tecken' : 'the password needs at least 12 characters');
        user = {
          id: newId('usr'),
          username,
          display_name: stringOption(parsed.values, 'display-name') ?? username,
          password_hash: password ? await hashPassword(password) : null,
          ldap_dn: ldapDn ?? null,
          created_at: now.toISOString(),
          disabled_at: null,
        };
        await store.users.create(user);
        await store.appendAudit(grant.scopeKind === 'tenant' ? grant.scopeId : null, localActor(), 'user.created', { username, login: password ? 'local' : 'ldap' }, now);
      }
      if (!user) throw new UsageError(lang === 'sv' ? `okänd användare ${username}` : `unknown user ${username}`);
      await store.users.grant(user.id, grant);
      await store.appendAudit(grant.scopeKind === 'tenant' ? grant.scopeId : null, localActor(), 'user.granted', { username, ...grant }, now);
      process.stdout.write(lang === 'sv' ? `${username}: ${grant.role} för ${grant.scopeId === '*' ? 'alla' : grant.scopeId}.\n` : `${username}: ${grant.role} on ${grant.scopeId}.\n`);
      return 0;
    });
  },
};
