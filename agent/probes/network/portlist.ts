/**
 * PortList decoding (RFC 4363): octet n holds ports 8n+1…8n+8, the most significant bit is
 * the lowest port, and the numbers are dot1dBasePort. Agents may send truncated strings
 * (missing octets are zero) or pad with octets for ports that do not exist; bits for ports
 * not in `existing` are ignored.
 */
export function decodePortList(buf: Uint8Array, existing?: ReadonlySet<number>): number[] {
  const ports: number[] = [];
  for (let i = 0; i < buf.length; i++) {
    const octet = buf[i]!;
    if (octet === 0) continue;
    for (let bit = 0; bit < 8; bit++) {
      if ((octet >> (7 - bit)) & 1) {
        const port = i * 8 + bit + 1;
        if (!existing || existing.has(port)) ports.push(port);
      }
    }
  }
  return ports;
}

/** The inverse, for fixtures and tests: the shortest PortList holding `ports`. */
export function encodePortList(ports: Iterable<number>, minOctets = 0): Buffer {
  const list = [...ports];
  const octets = Math.max(minOctets, list.length === 0 ? 0 : Math.ceil(Math.max(...list) / 8));
  const buf = Buffer.alloc(octets);
  for (const p of list) buf[(p - 1) >> 3]! |= 0x80 >> ((p - 1) & 7);
  return buf;
}
