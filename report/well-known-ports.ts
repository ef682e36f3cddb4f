/**
 * Well-known services by port, for labelling listening sockets. `cleartext` marks
 * protocols that carry credentials or data unencrypted in their usual form; the
 * TLS-wrapped ports (ldaps 636, imaps 993, …) are listed so they are named too.
 */
export interface PortService {
  /** Service name, or null when the port is not in the table. */
  service: string | null;
  cleartext: boolean;
}

export type PortProtocol = 'tcp' | 'udp';

type Entry = readonly [port: number, protocols: readonly PortProtocol[], service: string, cleartext: boolean];

const TCP = ['tcp'] as const;
const UDP = ['udp'] as const;
const BOTH = ['tcp', 'udp'] as const;

const ENTRIES: readonly Entry[] = [
  [20, TCP, 'ftp-data', true],
  [21, TCP, 'ftp', true],
  [22, TCP, 'ssh', false],
  [23, TCP, 'telnet', true],
  // SMTP on 25 is relay traffic; STARTTLS is optional, so it cannot be counted on.
  [25, TCP, 'smtp', true],
  [53, BOTH, 'dns', false],
  [67, UDP, 'dhcp', false],
  [69, UDP, 'tftp', true],
  [79, TCP, 'finger', true],
  [80, TCP, 'http', true],
  [88, BOTH, 'kerberos', false],
  [110, TCP, 'pop3', true],
  [111, BOTH, 'rpcbind', false],
  [119, TCP, 'nntp', true],
  [123, UDP, 'ntp', false],
  [135, TCP, 'msrpc', false],
  [137, UDP, 'netbios-ns', false],
  [138, UDP, 'netbios-dgm', false],
  [139, TCP, 'netbios-ssn', false],
  [143, TCP, 'imap', true],
  // SNMP v1/v2c sends the community string in the clear.
  [161, UDP, 'snmp', true],
  [162, UDP, 'snmp-trap', true],
  [389, BOTH, 'ldap', true],
  [443, TCP, 'https', false],
  [445, TCP, 'smb', false],
  [465, TCP, 'smtps', false],
  [500, UDP, 'isakmp', false],
  [512, TCP, 'rexec', true],
  [513, TCP, 'rlogin', true],
  [514, TCP, 'rsh', true],
  [514, UDP, 'syslog', true],
  [515, TCP, 'lpd', true],
  [587, TCP, 'submission', false],
  [631, TCP, 'ipp', true],
  [636, TCP, 'ldaps', false],
  [873, TCP, 'rsync', true],
  [993, TCP, 'imaps', false],
  [995, TCP, 'pop3s', false],
  [1433, TCP, 'mssql', false],
  [1521, TCP, 'oracle', false],
  [2049, BOTH, 'nfs', true],
  [3268, TCP, 'ldap-gc', true],
  [3269, TCP, 'ldaps-gc', false],
  [3306, TCP, 'mysql', false],
  [3389, TCP, 'rdp', false],
  [5432, TCP, 'postgresql', false],
  [5900, TCP, 'vnc', true],
  [5901, TCP, 'vnc', true],
  [5985, TCP, 'winrm-http', true],
  [5986, TCP, 'winrm-https', false],
  [6000, TCP, 'x11', true],
  [6379, TCP, 'redis', true],
  [8080, TCP, 'http-alt', true],
  [8443, TCP, 'https-alt', false],
  [11211, BOTH, 'memcached', true],
];

const TABLE = new Map<string, PortService>();
for (const [port, protocols, service, cleartext] of ENTRIES) {
  for (const protocol of protocols) TABLE.set(`${protocol}/${port}`, { service, cleartext });
}

const UNKNOWN: PortService = { service: null, cleartext: false };

/** The well-known service on a port; `{ service: null, cleartext: false }` for ports not in the table. */
export function classifyPort(protocol: PortProtocol, port: number): PortService {
  return TABLE.get(`${protocol}/${port}`) ?? UNKNOWN;
}
