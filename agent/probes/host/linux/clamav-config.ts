export interface ClamdConfig {
  localSocket: string | null;
  tcpSocket: number | null;
  tcpAddrs: string[];
  databaseDirectory: string | null;
}

/** Parses clamd.conf: `Option value` lines; `#` starts a comment; TCPAddr may repeat. */
export function parseClamdConf(text: string): ClamdConfig {
  const config: ClamdConfig = { localSocket: null, tcpSocket: null, tcpAddrs: [], databaseDirectory: null };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const match = /^(\S+)\s+(.+)$/.exec(line);
    if (!match?.[1] || !match[2]) continue;
    const value = match[2].trim().replace(/^"(.*)"$/, '$1');
    switch (match[1].toLowerCase()) {
      case 'localsocket':
        config.localSocket = value;
        break;
      case 'tcpsocket': {
        const port = Number(value);
        if (Number.isInteger(port) && port > 0 && port < 65536) config.tcpSocket = port;
        break;
      }
      case 'tcpaddr':
        config.tcpAddrs.push(value);
        break;
      case 'databasedirectory':
        config.databaseDirectory = value;
        break;
    }
  }
  return config;
}
