// PostgreSQL SQLSTATE classes 08 (connection exception) and 57P (operator intervention:
// shutdown, crash, cannot connect now), and the socket errors of a server that went away.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', 'SQLITE_BUSY']);

/** True when the database could not be reached or is restarting: the request may simply be retried. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  return typeof e.message === 'string' && /Connection terminated|terminating connection|the database system is (starting up|shutting down)/i.test(e.message);
}
