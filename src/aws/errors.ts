/**
 * Turns whatever an SDK call threw into the plain {code, message} that the
 * inventory records. Nothing here decides what the failure means for a
 * resource; callers do that (usually: the resource becomes `unknown`).
 */
export interface AwsErrorInfo {
  code: string;
  message: string;
  httpStatus: number | null;
}

interface SdkErrorShape {
  name?: unknown;
  Code?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $fault?: unknown;
  /** Set by the SDK (not enumerable) when it could not parse a response body: the body's text. */
  $responseBodyText?: unknown;
  /** Set by the SDK (not enumerable) on errors from deserialisation: the raw HTTP response. */
  $response?: { statusCode?: unknown; headers?: Record<string, unknown>; body?: unknown };
}

/** Names that say nothing about what went wrong. */
const GENERIC_NAMES = new Set(['Error', 'UnknownError', 'Unknown']);

/**
 * What the SDK appends to a parse failure's message, and the prefix of its
 * XML parser's messages: its own internals, never shown to a user.
 */
const SDK_HINT = /\s*Deserialization error: to see the raw response, inspect the hidden field \{error\}\.\$response on this object\.?/g;
const XML_PARSE_ERROR = /^@aws-sdk XML parse error:\s*/;

/** Characters of a body that could not be parsed shown in the message. */
const SNIPPET = 60;

/**
 * The {code, message} of a failed call, in the service's own words (its
 * error code and message) or, when the response could not be read at all,
 * in terms of what was expected and what came: never the SDK's internals
 * (its "Deserialization error: … inspect the hidden field {error}.$response"
 * note, JSON.parse's or its XML parser's messages).
 */
export function describeAwsError(error: unknown): AwsErrorInfo {
  if (error && typeof error === 'object') {
    const e = error as SdkErrorShape;
    const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : null;
    const unreadable = unreadableBody(e, status);
    if (unreadable) return { code: `HTTP${status}`, message: unreadable, httpStatus: status };
    const name = pickString(e.name);
    const specificName = name && !GENERIC_NAMES.has(name) ? name : undefined;
    // Some emulators and some S3 errors arrive with the class name "Error" or
    // "Unknown" and only an HTTP status: say what the status means. Network
    // failures arrive as name "Error" with a system code (ECONNREFUSED).
    const code = pickString(e.Code) ?? specificName ?? pickString(e.code) ?? (status !== null ? `HTTP${status}` : (name ?? 'Error'));
    let message = withoutSdkInternals(pickString(e.message) ?? '');
    if (!message || (status !== null && GENERIC_NAMES.has(message))) {
      const type = contentType(e);
      message = status !== null ? `HTTP status ${status} with no error code or message in the response${type ? ` (a ${type} body)` : ''}` : oneLine(String(error));
    }
    return { code, message: message || code, httpStatus: status };
  }
  return { code: 'Error', message: oneLine(String(error)), httpStatus: null };
}

/** A message on one line without the SDK's own notes (for any error text that reaches a user). */
export function withoutSdkInternals(text: string): string {
  return oneLine(text.replace(SDK_HINT, '').replace(XML_PARSE_ERROR, ''));
}

/** Was this thrown by an SDK client (a service error, or a response it could not read)? */
export function isAwsSdkError(error: unknown): boolean {
  return Boolean(error && typeof error === 'object' && ('$metadata' in error || '$fault' in error || '$response' in error));
}

/**
 * The SDK got a response but could not parse its body (an emulator's or a
 * proxy's HTML, plain text, an empty or cut-off body where JSON or XML
 * belongs): "HTTP status 500: expected a JSON response body, got text/html
 * "<html>…"". The status is the fact; the parser's complaint only its symptom.
 */
function unreadableBody(e: SdkErrorShape, status: number | null): string | undefined {
  if (status === null) return undefined;
  const raw = typeof e.message === 'string' ? e.message : '';
  // The SDK appends its hint to whatever failed while it read the body: a
  // timeout or a reset connection (a name or system code of its own) is that
  // failure, not a body it could not parse.
  const ownFailure = (typeof e.name === 'string' && !GENERIC_NAMES.has(e.name)) || typeof e.code === 'string';
  const expected = e.name === 'SyntaxError' ? 'JSON' : XML_PARSE_ERROR.test(raw) ? 'XML' : !ownFailure && SDK_HINT.test(raw) ? 'readable' : undefined;
  SDK_HINT.lastIndex = 0;
  if (!expected) return undefined;
  const text = typeof e.$responseBodyText === 'string' ? e.$responseBodyText : typeof e.$response?.body === 'string' ? e.$response.body : undefined;
  const wanted = expected === 'JSON' ? 'a JSON response body' : expected === 'XML' ? 'an XML response body' : 'a response body it could read';
  const kind = expected === 'JSON' ? 'valid JSON' : expected === 'XML' ? 'well-formed XML' : 'readable';
  const type = contentType(e);
  let got: string;
  // The JSON clients keep neither the text nor a readable body (the stream is
  // spent): the content type and the parser's kind of complaint are all there is.
  if (text === undefined) got = truncated(expected, raw, '') ? `a body that ends early (truncated?)${type ? ` of type ${type}` : ''}` : `${type ? `a ${type} body` : 'a body'} that is not ${kind}`;
  else if (text.trim() === '') got = 'an empty body';
  else {
    const shown = oneLine(text);
    const snippet = `"${shown.length > SNIPPET ? `${shown.slice(0, SNIPPET)}…` : shown}"`;
    got = truncated(expected, raw, text)
      ? `a body that ends early (${Buffer.byteLength(text)} bytes: truncated?) ${snippet}`
      : `${type ? `${type} ` : 'a body that is not '}${type ? '' : `${kind} `}${snippet}`;
  }
  return `HTTP status ${status}: expected ${wanted}, got ${got}`;
}

/** Did the parser run out of text (a cut-off body) rather than meet something that is not JSON or XML? */
function truncated(expected: string, message: string, text: string): boolean {
  if (expected === 'JSON') {
    if (/Unexpected end of JSON input|Unterminated string/.test(message)) return true;
    const at = / at position (\d+)/.exec(message);
    return text !== '' && at !== null && Number(at[1]) >= text.trimEnd().length;
  }
  if (expected === 'XML') return /unexpected end of input/.test(message) || (/missing closing tag/.test(message) && !text.trimEnd().endsWith('>'));
  return false;
}

/** The response's Content-Type (its media type only), when the SDK kept the response. */
function contentType(e: SdkErrorShape): string | undefined {
  const headers = e.$response?.headers;
  if (!headers || typeof headers !== 'object') return undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-type' && typeof value === 'string' && value.trim()) return value.split(';')[0]!.trim();
  }
  return undefined;
}

/** Credential problems are the user's to fix: the CLI turns them into exit 2. */
export function isCredentialError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const name = (error as { name?: unknown }).name;
  return (
    name === 'CredentialsProviderError' ||
    name === 'InvalidClientTokenId' ||
    name === 'UnrecognizedClientException' ||
    name === 'ExpiredToken' ||
    name === 'ExpiredTokenException' ||
    name === 'SignatureDoesNotMatch' ||
    name === 'TokenRefreshRequired'
  );
}

function pickString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
