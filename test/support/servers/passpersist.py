#!/usr/bin/python3
# pass_persist handler for snmpd: passpersist.py FIXTURE.json, fixture = [[oid, type, value], ...].
# From ../shared/TEST-SERVERS.md §4. snmpd keeps it running and asks get/getnext on stdin.
import sys, json, bisect
def key(o): return tuple(int(x) for x in o.strip('.').split('.'))
rows = sorted((key(o), o.strip('.'), t, v) for o, t, v in json.load(open(sys.argv[1])))
keys = [r[0] for r in rows]; out = sys.stdout
def reply(i): _, o, t, v = rows[i]; out.write(f'.{o}\n{t}\n{v}\n')
for line in sys.stdin:
    cmd = line.strip().lower()
    if cmd == 'ping': out.write('PONG\n')
    elif cmd in ('get', 'getnext'):
        k = key(sys.stdin.readline()); i = bisect.bisect_left(keys, k)
        if cmd == 'get': reply(i) if i < len(keys) and keys[i] == k else out.write('NONE\n')
        else:
            if i < len(keys) and keys[i] == k: i += 1
            reply(i) if i < len(keys) else out.write('NONE\n')
    elif cmd == 'set': sys.stdin.readline(); sys.stdin.readline(); out.write('not-writable\n')
    elif cmd == '': break
    out.flush()
