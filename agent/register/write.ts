import { basename } from 'node:path';
import { Document, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Register } from './schema.js';

export interface WriteOptions {
  /** The file the register was imported from, named in the header and beside each entry. */
  source?: string;
  /** The source line of each system. */
  lines?: readonly number[];
  /** Date of the import, for the header. */
  date?: string;
}

const HEADER = [
  ' Systemförteckning (system register) för basvakt.',
  ' Fälten beskrivs i config/system-register.example.yaml; kontrollera filen med',
  '   basvakt register check FIL',
];

/** Small maps of plain values read best on one line: owner: { name: …, role: … }. */
function compact(node: unknown): void {
  if (isMap(node)) {
    if (node.items.every((p) => isScalar(p.value)) && node.items.length <= 4) node.flow = true;
    else for (const pair of node.items) compact(pair.value);
  } else if (isSeq(node)) {
    const scalars = node.items.every((i) => isScalar(i));
    const short = scalars && node.items.every((i) => String((i as { value: unknown }).value).length <= 40);
    if (short) node.flow = true;
    else for (const item of node.items) compact(item);
  }
}

/** The register as commented YAML that loads with parseRegisterYaml. */
export function registerToYaml(register: Register, options: WriteOptions = {}): string {
  const doc = new Document(register);
  const from = options.source ? basename(options.source) : undefined;
  doc.commentBefore = [
    ...HEADER,
    ...(from ? [` Importerad från ${from}${options.date ? ` den ${options.date}` : ''}; raden i kalkylbladet står ovanför varje system.`] : []),
  ].join('\n');
  const systems = (doc.contents as { get(key: string, keepScalar?: boolean): unknown }).get('systems');
  if (isSeq(systems)) {
    systems.items.forEach((item, i) => {
      const node = item as Node;
      compact(node);
      node.spaceBefore = i > 0;
      const line = options.lines?.[i];
      if (from && line) node.commentBefore = ` ${from} rad ${line}`;
    });
  }
  const root = doc.contents;
  if (isMap(root)) {
    for (const pair of root.items) if ((pair.key as { value?: unknown })?.value === 'identityProviders') compact(pair.value);
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}
