import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, detectDelimiter, parseCsv } from '../../../agent/register/csv.js';

const values = (text: string) => parseCsv(text).map((r) => r.fields.map((f) => f.value));

function syntaxProblem(text: string) {
  try {
    parseCsv(text);
  } catch (error) {
    expect(error).toBeInstanceOf(CsvSyntaxError);
    return (error as CsvSyntaxError).problem;
  }
  throw new Error('expected a syntax error');
}

describe('CSV (RFC 4180)', () => {
  it('splits fields, with quoted delimiters, doubled quotes and line breaks inside quotes', () => {
    expect(values('a;b;c\r\n1;"2;3";"sa ""hej"""\r\n"rad ett\r\nrad två";;x\r\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2;3', 'sa "hej"'],
      ['rad ett\nrad två', '', 'x'],
    ]);
  });

  it('knows the line every record and field starts on, across line breaks inside quotes', () => {
    const records = parseCsv('a,b\n"x\ny\nz",w\nlast,"q"');
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(records[1]!.fields.map((f) => f.line)).toEqual([2, 4]);
  });

  it('accepts LF, CRLF and CR line breaks, a missing final line break and a trailing delimiter', () => {
    expect(values('a,b\nc,d')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(values('a,b\rc,d\r')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(values('a,b,\n')).toEqual([['a', 'b', '']]);
    expect(values('')).toEqual([]);
    expect(values('a\n\nb\n')).toEqual([['a'], [''], ['b']]);
  });

  it('guesses the delimiter from the header, outside quotes', () => {
    expect(detectDelimiter('system;systemägare;K\nx,y;z;1')).toBe(';');
    expect(detectDelimiter('system,"ägare; roll",K')).toBe(',');
    expect(detectDelimiter('system\tK\tR')).toBe('\t');
    expect(detectDelimiter('system')).toBe(',');
  });

  it('names the line of an unterminated quote and of text after a closing quote', () => {
    expect(syntaxProblem('a;b\n1;"öppen\n2;3\n')).toMatchObject({ line: 2, message: expect.stringContaining('avslutas aldrig') });
    expect(syntaxProblem('a;b\n\n"x"y;2\n')).toMatchObject({ line: 3, message: expect.stringContaining('tecken efter det avslutande citattecknet') });
  });

  it('keeps a stray quote inside an unquoted field as text, as Excel reads it', () => {
    expect(values('namn;roll\nAnna "Annie" A;chef')).toEqual([['namn', 'roll'], ['Anna "Annie" A', 'chef']]);
  });

  it('reads back whatever an RFC 4180 writer wrote (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'Å', ' ', ';', ',', '"', '\n', '\r\n', 'x', '|') });
    const table = fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(table, fc.constantFrom(';', ','), fc.constantFrom('\r\n', '\n'), (rows, delimiter, lineBreak) => {
        const text = rows.map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(delimiter)).join(lineBreak) + lineBreak;
        // Inside quotes a CRLF reads as one line break, as spreadsheets store it.
        expect(values(text)).toEqual(rows.map((r) => r.map((v) => v.replace(/\r\n/g, '\n'))));
      }),
    );
  });
});
