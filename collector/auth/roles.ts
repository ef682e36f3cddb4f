/** Roles and what each may do. A grant gives a role over a scope: one tenant, a federation, or everything. */
export const ROLES = ['admin', 'security-officer', 'technician', 'viewer', 'federation-viewer'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'findings:read'
  | 'waivers:write'
  | 'agents:manage'
  | 'audit:read'
  | 'users:manage'
  /** Parameter overrides, disabled rules and the network model of a tenant. */
  | 'rules:configure'
  /** Attesting manual controls. */
  | 'controls:attest';

const PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: ['findings:read', 'waivers:write', 'agents:manage', 'audit:read', 'users:manage', 'rules:configure', 'controls:attest'],
  'security-officer': ['findings:read', 'waivers:write', 'audit:read', 'rules:configure', 'controls:attest'],
  technician: ['findings:read', 'agents:manage'],
  viewer: ['findings:read'],
  'federation-viewer': ['findings:read'],
};

export const ROLE_LABELS: Record<Role, { sv: string; en: string }> = {
  admin: { sv: 'administratör', en: 'administrator' },
  'security-officer': { sv: 'IT-säkerhetsansvarig', en: 'security officer' },
  technician: { sv: 'IT-tekniker', en: 'technician' },
  viewer: { sv: 'läsare', en: 'viewer' },
  'federation-viewer': { sv: 'läsare för samverkan (IT-chefsgruppen)', en: 'federation viewer' },
};

export interface Grant {
  role: Role;
  scopeKind: 'global' | 'tenant' | 'federation';
  scopeId: string;
}

/** The tenants each permission reaches, resolved once per request. */
export interface Principal {
  kind: 'user' | 'api-token';
  id: string;
  name: string;
  grants: readonly Grant[];
  /** Member tenants of each federation the principal has a grant on. */
  federationMembers: ReadonlyMap<string, readonly string[]>;
}

export function canOnTenant(principal: Principal, permission: Permission, tenantId: string): boolean {
  return principal.grants.some((g) => {
    if (!PERMISSIONS[g.role].includes(permission)) return false;
    if (g.scopeKind === 'global') return true;
    if (g.scopeKind === 'tenant') return g.scopeId === tenantId;
    return permission === 'findings:read' && (principal.federationMembers.get(g.scopeId) ?? []).includes(tenantId);
  });
}

export function isAdmin(principal: Principal): boolean {
  return principal.grants.some((g) => g.role === 'admin' && g.scopeKind === 'global');
}

/** Every tenant the principal may read; undefined means all (an admin). */
export function readableTenants(principal: Principal): Set<string> | undefined {
  if (isAdmin(principal)) return undefined;
  const tenants = new Set<string>();
  for (const g of principal.grants) {
    if (g.scopeKind === 'tenant') tenants.add(g.scopeId);
    if (g.scopeKind === 'federation') for (const t of principal.federationMembers.get(g.scopeId) ?? []) tenants.add(t);
  }
  return tenants;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
