// A private PostgreSQL for tests and benchmarks (plain JavaScript so `npm run bench` can use it too).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PASSWORD = 'basvakt-test-lösenord';

/** The newest installed PostgreSQL's bin folder (Debian keeps them under /usr/lib/postgresql/N/bin). */
export function postgresBin() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function asPostgres(bin, args, dir) {
  const result = spawnSync('runuser', ['-u', 'postgres', '--', join(postgresBin() ?? '', bin), ...args], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
}

/**
 * Starts PostgreSQL in a temporary folder on 127.0.0.1 as the postgres user (initdb
 * refuses root), with a password-authenticated `basvakt` role.
 * @returns {Promise<{dir: string, port: number, config(database?: string): import('../../../collector/store/index.js').PostgresConfig, createDatabase(name: string): void, stop(): void, start(): void, dispose(): void}>}
 */
export async function startPostgres() {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (scripts/install-test-deps.sh)');
  const dir = mkdtempSync(join(tmpdir(), 'basvakt-pg-'));
  chmodSync(dir, 0o755);
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  chownSync(dir, uid, gid);
  const port = await freePort();
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  const data = join(dir, 'data');
  asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], dir);
  const start = () => asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start'], dir);
  const psql = (sql, database = 'postgres') => asPostgres('psql', ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], dir);
  start();
  psql(`CREATE ROLE basvakt LOGIN PASSWORD '${PASSWORD}'`);
  return {
    dir,
    port,
    config: (database = 'basvakt') => ({ driver: 'postgres', host: '127.0.0.1', port, database, user: 'basvakt', passwordFile, poolSize: 10 }),
    createDatabase: (name) => psql(`CREATE DATABASE "${name}" OWNER basvakt`),
    stop: () => asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'], dir),
    start,
    dispose() {
      try {
        asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], dir);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
