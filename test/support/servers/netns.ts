import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

/**
 * Network namespaces for tests (../shared/TEST-SERVERS.md §5). The kernel has no 802.1Q, so
 * each VLAN is its own veth pair into a router namespace. Names carry a unique prefix; all
 * listeners are started here and stopped by PID; dispose() deletes every namespace.
 */
export interface Lab {
  prefix: string;
  ns(name: string): string;
  /** Runs a command in a namespace and returns its stdout. */
  run(name: string, command: string[], input?: string): string;
  /** A TCP listener (nc -lk) in a namespace; stopped by PID in dispose(). */
  listen(name: string, address: string, port: number): Promise<void>;
  dispose(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ip(args: string[], input?: string): string {
  return execFileSync('ip', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function createLab(names: readonly string[]): Lab {
  const prefix = `bvt${process.pid}${Math.floor(Math.random() * 1000)}`;
  const created: string[] = [];
  const listeners: ChildProcess[] = [];
  const ns = (name: string) => `${prefix}-${name}`;
  const lab: Lab = {
    prefix,
    ns,
    run: (name, command, input) => ip(['netns', 'exec', ns(name), ...command], input),
    async listen(name, address, port) {
      const child = spawn('ip', ['netns', 'exec', ns(name), 'nc', '-lk', address, String(port)], { stdio: 'ignore' });
      listeners.push(child);
      for (let i = 0; i < 50; i++) {
        const out = lab.run(name, ['ss', '-Htln', `src ${address}:${port}`]);
        if (out.trim()) return;
        await sleep(20);
      }
      throw new Error(`listener ${address}:${port} in ${name} did not start`);
    },
    async dispose() {
      for (const child of listeners) if (child.exitCode === null && child.pid) child.kill('SIGTERM');
      for (const child of listeners) {
        for (let i = 0; i < 50 && child.exitCode === null && child.signalCode === null; i++) await sleep(20);
      }
      for (const n of created.reverse()) {
        try {
          ip(['netns', 'del', n]);
        } catch {
          /* already gone */
        }
      }
    },
  };
  try {
    for (const name of names) {
      ip(['netns', 'add', ns(name)]);
      created.push(ns(name));
      ip(['-n', ns(name), 'link', 'set', 'lo', 'up']);
    }
  } catch (error) {
    void lab.dispose();
    throw error;
  }
  return lab;
}

/** One veth pair: `router` side named routerIf with routerCidr, the host side eth0 with hostCidrs and a default route. */
export function connect(lab: Lab, router: string, routerIf: string, routerCidr: string, host: string, hostCidrs: string[]): void {
  ip(['link', 'add', routerIf, 'netns', lab.ns(router), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', lab.ns(host)]);
  ip(['-n', lab.ns(router), 'addr', 'add', routerCidr, 'dev', routerIf]);
  ip(['-n', lab.ns(router), 'link', 'set', routerIf, 'up']);
  for (const c of hostCidrs) ip(['-n', lab.ns(host), 'addr', 'add', c, 'dev', 'eth0']);
  ip(['-n', lab.ns(host), 'link', 'set', 'eth0', 'up']);
  ip(['-n', lab.ns(host), 'route', 'add', 'default', 'via', routerCidr.split('/')[0]!]);
}
