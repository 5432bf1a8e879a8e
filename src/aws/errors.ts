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
}

/** Names that say nothing about what went wrong. */
const GENERIC_NAMES = new Set(['Error', 'UnknownError', 'Unknown']);

export function describeAwsError(error: unknown): AwsErrorInfo {
  if (error && typeof error === 'object') {
    const e = error as SdkErrorShape;
    const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : null;
    const name = pickString(e.name);
    // The SDK throws a SyntaxError carrying $metadata when a response body
    // could not be parsed (an emulator's HTML or plain-text 500): the status
    // is the fact, the parse failure only its symptom.
    const unparsed = name === 'SyntaxError' && status !== null;
    const specificName = name && !GENERIC_NAMES.has(name) && !unparsed ? name : undefined;
    // Some emulators and some S3 errors arrive with the class name "Error" or
    // "Unknown" and only an HTTP status: say what the status means. Network
    // failures arrive as name "Error" with a system code (ECONNREFUSED).
    const code = pickString(e.Code) ?? specificName ?? pickString(e.code) ?? (status !== null ? `HTTP${status}` : (name ?? 'Error'));
    let message = oneLine(pickString(e.message) ?? '');
    if (unparsed) {
      message = `HTTP status ${status}; the response body could not be parsed: ${message.replace(/\s*Deserialization error:.*$/, '')}`;
    } else if (!message || (status !== null && GENERIC_NAMES.has(message))) {
      message = status !== null ? `HTTP status ${status} with no error code in the response` : oneLine(String(error));
    }
    return { code, message: message || code, httpStatus: status };
  }
  return { code: 'Error', message: oneLine(String(error)), httpStatus: null };
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
