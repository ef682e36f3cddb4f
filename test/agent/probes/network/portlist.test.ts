import { describe, expect, it } from 'vitest';
import { decodePortList, encodePortList } from '../../../../agent/probes/network/portlist.js';

describe('PortList (RFC 4363, BITS.md §5)', () => {
  it('reads the most significant bit as the lowest port', () => {
    expect(decodePortList(Buffer.from([0x80]))).toEqual([1]);
    expect(decodePortList(Buffer.from([0x01]))).toEqual([8]);
    expect(decodePortList(Buffer.from([0x00, 0x40]))).toEqual([10]);
    expect(decodePortList(Buffer.from([0xc0, 0x00, 0x01]))).toEqual([1, 2, 24]);
  });

  it('treats a truncated list as zero-padded and an empty one as no ports', () => {
    expect(decodePortList(Buffer.alloc(0))).toEqual([]);
    expect(decodePortList(Buffer.from([0xff]), new Set([1, 2, 3, 4, 5, 6, 7, 8, 48]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('ignores bits for ports that do not exist (padding)', () => {
    expect(decodePortList(Buffer.from([0x30, 0xff, 0xff]), new Set([1, 2, 3, 4]))).toEqual([3, 4]);
  });

  it('round-trips through encodePortList', () => {
    const ports = [1, 5, 8, 9, 47, 48, 200];
    expect(decodePortList(encodePortList(ports))).toEqual(ports);
    expect(encodePortList([], 2)).toEqual(Buffer.from([0, 0]));
  });
});

describe('the planted switch fixture', () => {
  it('test/fixtures/network/planted-switch.json (used by the benchmark) matches test/support/switch-fixture.ts', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { plantedSwitchFixture } = await import('../../../support/switch-fixture.js');
    const file = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'network', 'planted-switch.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(plantedSwitchFixture());
  });
});
