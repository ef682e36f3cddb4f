import type { FastifyReply } from 'fastify';
import type { ApiError } from '../../report/api.js';
import type { Problem } from '../../common/validation.js';

export function sendError(reply: FastifyReply, status: number, code: string, message: string, problems?: Problem[]): FastifyReply {
  const body: ApiError = { error: { code, message, ...(problems ? { problems: problems.map(({ path, message: m }) => ({ path, message: m })) } : {}) } };
  return reply.code(status).type('application/json').send(body);
}
