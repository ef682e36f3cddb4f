import secureJsonParse from 'secure-json-parse';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A request body as JSON: strictly UTF-8 (invalid bytes are refused, not silently replaced
 * by U+FFFD) and without `__proto__` or `constructor.prototype` keys.
 */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new Error('ogiltig UTF-8 i kroppen (invalid UTF-8)');
  }
  return secureJsonParse.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
}
