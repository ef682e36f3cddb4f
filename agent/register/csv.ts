import type { Problem } from '../../common/validation.js';

/**
 * A small RFC 4180 reader: fields separated by a delimiter, optionally in double quotes;
 * inside quotes a doubled quote is a quote and delimiters and line breaks are text. Line
 * breaks may be CRLF, LF or CR. Written here rather than taken from npm because what the
 * register import needs beyond splitting — the line every field starts on, Swedish errors,
 * the delimiter guessed from the header — is most of the work, and the splitting is short.
 */

export interface CsvField {
  value: string;
  /** Line (1-based) the field starts on. */
  line: number;
}

export interface CsvRecord {
  /** Line (1-based) the record starts on. */
  line: number;
  fields: CsvField[];
}

export type CsvDelimiter = ',' | ';' | '\t';

export class CsvSyntaxError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

/**
 * The delimiter of the header line: the one of `;`, `,` and tab that occurs most often
 * outside quotes. Swedish Excel writes `;` (the comma is the decimal separator), others `,`.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as CsvDelimiter]++;
  }
  const best = (Object.entries(counts) as [CsvDelimiter, number][]).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ',';
}

export function parseCsv(text: string, delimiter: CsvDelimiter = detectDelimiter(text)): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  let fields: CsvField[] = [];
  let recordLine = 1;

  const newline = (at: number): number => {
    // Length of the line break at `at` (CRLF counts as one), or 0.
    if (text[at] === '\r') return text[at + 1] === '\n' ? 2 : 1;
    return text[at] === '\n' ? 1 : 0;
  };

  while (i < n || fields.length > 0) {
    const fieldLine = line;
    let value = '';
    if (text[i] === '"') {
      const openLine = line;
      i++;
      for (;;) {
        if (i >= n) {
          throw new CsvSyntaxError({
            path: '',
            line: openLine,
            message: 'citattecknet som börjar här avslutas aldrig — ett fält i "…" måste sluta med " (unterminated quoted field)',
          });
        }
        const ch = text[i]!;
        if (ch === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        const nl = newline(i);
        if (nl > 0) {
          value += '\n';
          i += nl;
          line++;
          continue;
        }
        value += ch;
        i++;
      }
      if (i < n && text[i] !== delimiter && newline(i) === 0) {
        throw new CsvSyntaxError({
          path: '',
          line,
          message: `tecken efter det avslutande citattecknet (${JSON.stringify(text.slice(i, i + 10))}) — skriv "" för ett citattecken inuti fältet (text after a closing quote)`,
        });
      }
    } else {
      // An unquoted field: up to the delimiter or the end of the line; a stray quote is kept as text.
      while (i < n && text[i] !== delimiter && newline(i) === 0) value += text[i++];
    }
    fields.push({ value, line: fieldLine });
    if (i < n && text[i] === delimiter) {
      i++;
      if (i >= n) fields.push({ value: '', line });
      else continue;
    }
    // End of the record: a line break or the end of the text.
    records.push({ line: recordLine, fields });
    fields = [];
    const nl = i < n ? newline(i) : 0;
    i += nl;
    if (nl > 0) line++;
    recordLine = line;
    if (i >= n) break;
  }
  return records;
}
