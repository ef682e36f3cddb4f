import type { Access } from './access.js';
import { reportJsonSchema } from '../../report/json-schema.js';

export interface RouteInfo {
  method: string;
  url: string;
  access: Access;
}

const SECURITY: Record<Access['kind'], unknown[]> = {
  public: [],
  agent: [{ agentCredential: [] }],
  authenticated: [{ session: [] }, { apiToken: [] }],
  tenant: [{ session: [] }, { apiToken: [] }],
  federation: [{ session: [] }],
  admin: [{ session: [] }],
};

function describe(access: Access): string {
  switch (access.kind) {
    case 'tenant':
      return `Kräver behörigheten ${access.permission} för organisationen (requires ${access.permission} on the tenant)`;
    case 'federation':
      return 'Kräver en roll i samverkan (requires a federation grant)';
    case 'agent':
      return 'Agentens inloggning: Bearer <agentId>.<secret>';
    case 'admin':
      return 'Endast administratör (admin only)';
    case 'authenticated':
      return 'Inloggad användare eller API-nyckel (any logged-in user or API token)';
    default:
      return 'Öppen (public)';
  }
}

/** An OpenAPI 3.1 description built from the routes the server actually registered. */
export function openApiDocument(routes: readonly RouteInfo[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (route.method === 'HEAD') continue;
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const params = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const operation: Record<string, unknown> = {
      description: describe(route.access),
      security: SECURITY[route.access.kind],
      parameters: params,
      responses: { '200': { description: 'OK' }, '4XX': { description: 'Fel med kod, meddelande och fält (error with code, message and problems)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
    };
    if (route.url.endsWith('/reports') && route.method === 'POST') {
      operation.requestBody = { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Report' } } } };
    }
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'basvakt collector API', version, description: 'Insamlarens API: rapporter från agenter, resultat, undantag och revisionslogg.' },
    paths,
    components: {
      securitySchemes: {
        agentCredential: { type: 'http', scheme: 'bearer', description: '<agentId>.<secret> från basvakt enroll' },
        apiToken: { type: 'http', scheme: 'bearer', description: 'API-nyckel från basvakt token create --kind api' },
        session: { type: 'apiKey', in: 'cookie', name: 'basvakt_session', description: 'Från POST /api/v1/login; ändrande anrop kräver X-CSRF-Token' },
      },
      schemas: {
        Report: reportJsonSchema(),
        Error: {
          type: 'object',
          properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, problems: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } } } } },
        },
      },
    },
  };
}
