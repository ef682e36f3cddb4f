/**
 * Checks across fields of a register: unique ids, identity providers that exist and speak
 * the system's protocol. They run on the raw parsed input, beside the schema, so that a
 * register with a type error elsewhere still gets every problem reported at once (zod skips
 * refinements of an object once anything inside it has failed).
 */

export interface CrossProblem {
  path: (string | number)[];
  message: string;
}

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);
const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** How a message names another entry: "systems[0] (rad 5)" in YAML, "rad 3" in CSV. */
export type EntryName = (root: 'systems' | 'identityProviders', index: number) => string;

const byIndex: EntryName = (root, index) => `${root}[${index}]`;

function duplicates(list: unknown[], root: 'systems' | 'identityProviders', what: string, problems: CrossProblem[], name: EntryName): Map<string, number> {
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const id = isObject(item) ? str(item.id) : undefined;
    if (id === undefined) return;
    const first = seen.get(id);
    if (first !== undefined) {
      problems.push({ path: [root, i, 'id'], message: `"${id}" finns redan, ${name(root, first)} — ${what} (duplicate id)` });
    } else seen.set(id, i);
  });
  return seen;
}

export function crossCheckRegister(raw: unknown, name: EntryName = byIndex): CrossProblem[] {
  if (!isObject(raw)) return [];
  const problems: CrossProblem[] = [];
  const idpList = items(raw.identityProviders);
  const idps = duplicates(idpList, 'identityProviders', 'varje identitetsleverantör behöver ett eget id', problems, name);
  const systems = items(raw.systems);
  duplicates(systems, 'systems', 'varje system behöver ett eget id', problems, name);
  const declared = [...idps.keys()].join(', ') || '(inga deklarerade under identityProviders)';

  systems.forEach((system, i) => {
    if (!isObject(system)) return;
    const remote = system.remoteAccess;
    if (isObject(remote) && remote.allowed === false && remote.via !== undefined) {
      problems.push({ path: ['systems', i, 'remoteAccess', 'via'], message: 'via anges bara när allowed är true (via only when remote access is allowed)' });
    }
    const auth = system.authentication;
    if (!isObject(auth)) return;
    const sso = str(auth.sso);
    const idp = auth.identityProvider;
    const path = ['systems', i, 'authentication', 'identityProvider'];
    if (sso === 'saml' || sso === 'oidc') {
      if (idp === undefined) {
        problems.push({ path, message: `saknas — inloggning med ${sso} går via en identitetsleverantör; ange en av: ${declared} (required for ${sso})` });
        return;
      }
      if (typeof idp !== 'string') return; // the schema reports the type
      const index = idps.get(idp);
      if (index === undefined) {
        problems.push({ path, message: `"${idp}" finns inte under identityProviders — deklarerade: ${declared} (not a declared identity provider)` });
        return;
      }
      const protocol = str((idpList[index] as Raw).protocol);
      if (protocol !== undefined && protocol !== sso) {
        problems.push({
          path,
          message: `"${idp}" talar ${protocol}, men systemet loggar in med ${sso} — deklarera leverantören en gång per protokoll (protocol mismatch)`,
        });
      }
    } else if (sso !== undefined && idp !== undefined) {
      problems.push({ path, message: `anges bara för inloggning med saml eller oidc, inte ${sso} (only for saml or oidc)` });
    }
  });
  return problems;
}
