import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashPassword } from '../../collector/auth/passwords.js';
import { newId, newSecret } from '../../collector/services/secrets.js';
import type { Store } from '../../collector/store/index.js';

export const DEMO_USER = 'demo';

/**
 * A security officer for the demo tenant, so the dashboard can be opened. The password is
 * random and only written to a file readable by the owner; a second run keeps the user and file.
 */
export async function ensureDemoUser(store: Store, dir: string, tenantId: string, now: Date): Promise<{ username: string; passwordFile: string }> {
  const passwordFile = join(dir, 'dashboard-password.txt');
  const existing = await store.users.byUsername(DEMO_USER);
  if (existing && existsSync(passwordFile)) return { username: DEMO_USER, passwordFile };
  const password = newSecret().slice(0, 24);
  const hash = await hashPassword(password);
  if (existing) {
    await store.db.updateTable('users').set({ password_hash: hash }).where('id', '=', existing.id).execute();
  } else {
    const id = newId('usr');
    await store.users.create({ id, username: DEMO_USER, display_name: 'Demo (IT-säkerhetsansvarig)', password_hash: hash, ldap_dn: null, created_at: now.toISOString(), disabled_at: null });
    await store.users.grant(id, { role: 'security-officer', scopeKind: 'tenant', scopeId: tenantId });
    await store.appendAudit(tenantId, 'cli:demo', 'user.created', { username: DEMO_USER, login: 'local' }, now);
  }
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  return { username: DEMO_USER, passwordFile };
}
