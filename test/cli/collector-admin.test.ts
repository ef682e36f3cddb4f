import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli.js';

describe('setting up two kommuner and a federation from the command line', () => {
  let dir: string;
  let config: string;
  let collector: ChildProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'basvakt-admin-'));
    config = join(dir, 'collector.yaml');
    await writeFile(config, 'listen: { host: 127.0.0.1, port: 0 }\ndatabase: { driver: sqlite, path: collector.db }\nlog: { level: warn }\n');
    await writeFile(join(dir, 'pw'), 'ett-långt-lösenord-2026\n');
  });
  afterAll(async () => {
    collector?.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  const ok = async (args: string[]) => {
    const result = await runCli([...args, '--config', config]);
    expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result;
  };

  it('creates tenants, a federation and users, and a federation viewer then sees both kommuner', async () => {
    await ok(['tenant', 'add', 'amal', '--name', 'Åmåls kommun']);
    await ok(['tenant', 'add', 'bengtsfors', '--name', 'Bengtsfors kommun']);
    const federation = await ok(['federation', 'add', 'dalsland', '--name', 'Dalslandskommunerna', '--members', 'amal,bengtsfors']);
    expect(federation.stdout).toContain('Samverkan dalsland');
    await ok(['user', 'add', 'anna', '--role', 'security-officer', '--tenant', 'amal', '--password-file', join(dir, 'pw')]);
    await ok(['user', 'add', 'chefsgruppen', '--role', 'federation-viewer', '--federation', 'dalsland', '--password-file', join(dir, 'pw')]);
    const bad = await runCli(['user', 'add', 'x', '--role', 'boss', '--tenant', 'amal', '--password-file', join(dir, 'pw'), '--config', config]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('okänd roll boss');
    const unknown = await runCli(['federation', 'add', 'vast', '--name', 'V', '--members', 'amal,goteborg', '--config', config]);
    expect(unknown.stderr).toContain('okänd organisation goteborg');

    collector = spawn(process.execPath, [CLI, 'collector', '--config', config], { env: { ...process.env, BASVAKT_LANG: 'en' }, stdio: ['ignore', 'ignore', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      collector!.stderr!.setEncoding('utf8').on('data', (d: string) => {
        text += d;
        const m = /Collector listening on (\S+)/.exec(text);
        if (m?.[1]) resolve(m[1]);
      });
      collector!.once('exit', () => reject(new Error(text)));
    });
    const login = await fetch(`${url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'chefsgruppen', password: 'ett-långt-lösenord-2026' }) });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const overview = (await (await fetch(`${url}/api/v1/federations/dalsland/overview`, { headers: { cookie } })).json()) as { tenants: { tenant: string }[] };
    expect(overview.tenants.map((t) => t.tenant)).toEqual(['amal', 'bengtsfors']);

    const audit = await ok(['audit', '--format', 'csv']);
    for (const action of ['tenant.created', 'federation.created', 'user.created', 'user.granted', 'login.succeeded']) expect(audit.stdout).toContain(action);
  });
});
