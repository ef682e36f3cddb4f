import { basename } from 'node:path';
import type { RegisterEntry } from '../../../report/facts/register.js';
import type { Target } from '../../../report/schema.js';
import { loadRegister } from '../../register/load.js';
import { registerTargets } from '../../register/targets.js';
import type { WebSystem } from './options.js';

/** The web probe's view of a register entry: where to log in, which IdP it declares, which endpoints. */
export function webSystemOf(entry: RegisterEntry): WebSystem {
  const idp = entry.authentication?.identityProvider;
  const system: WebSystem = { id: entry.id, name: entry.name, endpoints: entry.endpoints };
  if (entry.loginUrl) system.loginUrl = entry.loginUrl;
  if (idp && (entry.authentication?.sso === 'saml' || entry.authentication?.sso === 'oidc')) system.identityProvider = idp;
  return system;
}

export interface RegisterSystems {
  /** One target per entry, carrying its `register` fact; the web facts are added to these. */
  targets: Target[];
  systems: WebSystem[];
}

/**
 * Reads the register when the probe runs (it may have changed since the agent started). A
 * register that cannot be read becomes one system target whose `register` fact is the error
 * with every problem's line, so the tenant's coverage turns unknown instead of shrinking.
 */
export async function systemsFromRegister(file: string, now: Date): Promise<RegisterSystems> {
  try {
    const loaded = await loadRegister(file);
    const targets = registerTargets(loaded.register, loaded.file, { lines: loaded.lines, collectedAt: now });
    const systems = targets.map((t) => webSystemOf((t.facts[0] as { value: RegisterEntry }).value));
    return { targets, systems };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 4000);
    const id = `register:${basename(file)}`.slice(0, 256);
    return {
      targets: [{ kind: 'system', id, name: basename(file), facts: [{ name: 'register', status: 'error', source: file.slice(0, 4000), collectedAt: now.toISOString(), reason }] }],
      systems: [],
    };
  }
}
