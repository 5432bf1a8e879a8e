import type { ScanError } from '../model/inventory.js';
import type { UnavailableService } from '../model/reach.js';
import type { ServiceName } from '../model/services.js';

/**
 * A region where a service is not offered, or where the account is not
 * subscribed to it, is a fact about the region, not a failure of the scan:
 * no resources can exist there. Such listing errors become
 * `scan.unavailable` entries (no SCAN.INCOMPLETE finding, no exit 3); every
 * other error stays an error.
 *
 * Decided from what AWS answers, in this one place:
 * - `OptInRequired` (EC2 and others: "You are not subscribed to this
 *   service"), `SubscriptionRequiredException` (JSON-protocol services) —
 *   https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 * - the service has no endpoint in the region: its regional host name does
 *   not resolve (`ENOTFOUND` from DNS). AWS publishes a DNS name for every
 *   service in every region where it runs
 *   (https://docs.aws.amazon.com/general/latest/gr/rande.html). Not with
 *   --endpoint-url, where a name that does not resolve is the user's typo.
 *
 * Only listing-level errors qualify (no resourceArn): a call about one
 * resource proves the service exists there.
 */
const NOT_SUBSCRIBED = new Set(['OptInRequired', 'SubscriptionRequiredException']);

export function unavailableReason(error: ScanError, endpointOverridden: boolean): string | null {
  if (error.resourceArn) return null;
  if (NOT_SUBSCRIBED.has(error.code)) return `the account is not subscribed to ${error.service} in ${error.region} (${error.code}: ${error.message})`;
  if (!endpointOverridden && error.code === 'ENOTFOUND') return `${error.service} has no endpoint in ${error.region}: the service is not offered there (${error.message})`;
  return null;
}

/** Splits an account's errors into real errors and unavailable services. */
export function separateUnavailable(
  errors: readonly ScanError[],
  accountId: string,
  endpointOverridden: boolean,
): { errors: ScanError[]; unavailable: UnavailableService[] } {
  const kept: ScanError[] = [];
  const unavailable: UnavailableService[] = [];
  for (const error of errors) {
    const reason = unavailableReason(error, endpointOverridden);
    const service = error.service as ServiceName;
    if (reason && error.service !== 'sts' && error.service !== 'ec2' && error.service !== 'organizations') {
      unavailable.push({ accountId, service, region: error.region, operation: error.operation, code: error.code, reason });
    } else {
      kept.push(error);
    }
  }
  return { errors: kept, unavailable };
}
