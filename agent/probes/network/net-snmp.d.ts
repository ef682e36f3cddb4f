// The parts of net-snmp 3.29 (no bundled types) the network probe uses.
declare module 'net-snmp' {
  export interface Varbind {
    oid: string;
    type: number;
    value: unknown;
  }
  export interface SessionOptions {
    port?: number;
    retries?: number;
    timeout?: number;
    backoff?: number;
    transport?: 'udp4' | 'udp6';
    version?: number;
    idBitsSize?: 16 | 32;
    backwardsGetNexts?: boolean;
  }
  export interface V3User {
    name: string;
    level: number;
    authProtocol?: number;
    authKey?: string;
    privProtocol?: number;
    privKey?: string;
  }
  export interface Session {
    get(oids: string[], callback: (error: Error | null, varbinds: Varbind[]) => void): void;
    getBulk(oids: string[], nonRepeaters: number, maxRepetitions: number, callback: (error: Error | null, varbinds: Varbind[]) => void): void;
    close(): void;
    on(event: 'error' | 'close', listener: (error?: Error) => void): void;
  }
  const snmp: {
    Version1: number;
    Version2c: number;
    Version3: number;
    ObjectType: Record<string, number>;
    SecurityLevel: { noAuthNoPriv: number; authNoPriv: number; authPriv: number };
    AuthProtocols: Record<'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512', number>;
    PrivProtocols: Record<'des' | 'aes' | 'aes256b' | 'aes256r', number>;
    createSession(target: string, community: string, options?: SessionOptions): Session;
    createV3Session(target: string, user: V3User, options?: SessionOptions): Session;
    isVarbindError(varbind: Varbind): boolean;
    varbindError(varbind: Varbind): string;
  };
  export default snmp;
}
