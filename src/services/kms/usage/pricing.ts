import type { KeyRecord } from '../../../model/inventory.js';
import type { RequestPricing } from '../../../model/request-cost.js';
import type { KmsRegionUsage, RequestQuota } from '../../../model/usage.js';
import type { KmsPrices } from '../prices.js';

/**
 * Which price applies to the calls of each usage metric: the pricing class
 * the data file gives the quota the metric measures, and for the shared RSA
 * quota (RSA 2048 requests cost $0.03 per 10,000, other RSA requests $0.15)
 * what the Region's own RSA keys say. Pure.
 */

/** A quota's pricing class: the data file's, by code or name; else read from the name AWS gives it. */
export function quotaPricing(quota: Pick<RequestQuota, 'code' | 'name'>, prices: KmsPrices): RequestPricing {
  const known = prices.requestQuotas.quotas.find((d) => (d.code !== null && d.code === quota.code) || d.name === quota.name);
  if (known) return known.pricing;
  const name = quota.name;
  if (/^Cryptographic operations \(symmetric\)/i.test(name)) return 'requests';
  if (/^Cryptographic operations \(RSA\)/i.test(name)) return 'rsa';
  if (/^Cryptographic operations \((ECC|ML-DSA|SM2)/i.test(name)) return 'asymmetric';
  if (/^GenerateDataKeyPair \(RSA/i.test(name)) return 'generateDataKeyPairRsa';
  if (/^GenerateDataKeyPair \(/i.test(name)) return 'generateDataKeyPairEcc';
  if (/^[A-Z][A-Za-z]+ request rate$/.test(name)) return 'requests';
  return 'unknown';
}

export interface MetricPrice {
  pricing: RequestPricing;
  usdPer10000: number | null;
  usdPer10000Max?: number;
  freeTier: boolean;
  basis: string;
}

/** The price of one usage metric's calls in one Region. */
export function metricPrice(pricing: RequestPricing, region: KmsRegionUsage, keys: readonly KeyRecord[], prices: KmsPrices): MetricPrice {
  const classes = prices.requestPrices.classes;
  if (pricing === 'unknown') return { pricing, usdPer10000: null, freeTier: false, basis: 'a quota atrest does not know how to price: see the pricing page' };
  if (pricing !== 'rsa') {
    const c = classes[pricing];
    return { pricing, usdPer10000: c.usdPer10000, freeTier: c.freeTier, basis: c.covers };
  }
  const rsa = keys.filter((k) => k.accountId === region.accountId && k.region === region.region && k.spec.startsWith('RSA_'));
  const specs = new Set(rsa.map((k) => k.spec));
  const low = classes.rsa2048;
  const high = classes.asymmetric;
  if (specs.size === 1 && specs.has('RSA_2048')) {
    return { pricing: 'rsa2048', usdPer10000: low.usdPer10000, freeTier: low.freeTier, basis: `every RSA key of the account in ${region.region} is RSA_2048 (${rsa.length}); calls on other accounts' keys would be priced by their size` };
  }
  if (specs.size > 0 && !specs.has('RSA_2048')) {
    return { pricing: 'asymmetric', usdPer10000: high.usdPer10000, freeTier: high.freeTier, basis: `no RSA key of the account in ${region.region} is RSA_2048 (${[...specs].sort().join(', ')}); calls on other accounts' keys would be priced by their size` };
  }
  return {
    pricing: 'rsa',
    usdPer10000: low.usdPer10000,
    usdPer10000Max: high.usdPer10000,
    freeTier: false,
    basis:
      specs.size > 0
        ? `RSA keys of several sizes in ${region.region} (${[...specs].sort().join(', ')}): the shared RSA metric does not say which were used, so $${low.usdPer10000} (RSA 2048) to $${high.usdPer10000} (other sizes) per 10,000`
        : `no RSA key of the account is listed in ${region.region}: the calls used other accounts' keys or keys not scanned, so $${low.usdPer10000} (RSA 2048) to $${high.usdPer10000} (other sizes) per 10,000`,
  };
}
