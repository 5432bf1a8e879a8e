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

export function describeAwsError(error: unknown): AwsErrorInfo {
  if (error && typeof error === 'object') {
    const e = error as SdkErrorShape;
    const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : null;
    const code = pickString(e.Code) ?? pickString(e.name) ?? pickString(e.code) ?? 'Error';
    // Some emulators and some S3 errors arrive with the class name "Error" or
    // "UnknownError" and only an HTTP status: say what the status means.
    const generic = code === 'Error' || code === 'UnknownError' || code === 'Unknown';
    const statusCode = status !== null && generic ? `HTTP${status}` : code;
    const message = oneLine(pickString(e.message) ?? (status !== null ? `HTTP status ${status}` : String(error)));
    return { code: statusCode, message: message || statusCode, httpStatus: status };
  }
  return { code: 'Error', message: oneLine(String(error)), httpStatus: null };
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
  'AllAccessDisabled',
]);

export function isAccessDenied(error: unknown): boolean {
  const info = describeAwsError(error);
  return ACCESS_DENIED.has(info.code) || info.httpStatus === 403;
}

/** True for the errors that mean "this thing does not exist (any more)". */
export function isNotFound(error: unknown, ...codes: string[]): boolean {
  const info = describeAwsError(error);
  return codes.includes(info.code) || info.code === 'NotFoundException' || info.code === 'NoSuchBucket';
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
