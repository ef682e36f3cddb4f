import { InputFileError } from '../../common/yaml.js';

export interface DecodedText {
  text: string;
  notes: string[];
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];

/**
 * Windows-1252's characters at 0x80–0x9F (€, ‚, „, …, –, — and the rest), where ISO-8859-1 has
 * control characters. Node 20's TextDecoder decodes "windows-1252" as ISO-8859-1, so they are
 * mapped here; the five undefined bytes stay as they are.
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80]! : String.fromCharCode(byte);
  return text;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * Turns a register file's bytes into text. UTF-8 (with or without BOM) and UTF-16 with a
 * BOM are read as they are. Bytes that are not valid UTF-8 are read as Windows-1252, the
 * encoding Swedish Excel uses for "CSV (semikolonavgränsad)": every byte sequence is valid
 * there, å, ä and ö come out right, and the conversion is reported as a note so the user
 * can check the result. An Excel workbook (.xlsx, a zip file) is refused with advice.
 */
export function decodeText(bytes: Uint8Array, file: string): DecodedText {
  if (startsWith(bytes, ZIP)) {
    throw new InputFileError(file, [
      {
        path: '',
        message:
          'filen är en Excel-arbetsbok (.xlsx), inte text — spara den som "CSV UTF-8 (kommaavgränsad)" eller "CSV (semikolonavgränsad)" i Excel (an Excel workbook, not CSV; save as CSV)',
      },
    ]);
  }
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), notes: [] };
  if (startsWith(bytes, [0xff, 0xfe])) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), notes: [] };
  if (startsWith(bytes, [0xfe, 0xff])) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), notes: [] };
  if (bytes.includes(0)) {
    throw new InputFileError(file, [{ path: '', message: 'filen innehåller nollbytes och är ingen textfil (not a text file)' }]);
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), notes: [] };
  } catch {
    return {
      text: decodeWindows1252(bytes),
      notes: [
        `${file} är inte UTF-8 och lästes som Windows-1252 (Excels "CSV (semikolonavgränsad)"); kontrollera å, ä och ö (not UTF-8; read as Windows-1252)`,
      ],
    };
  }
}
