import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

/**
 * The one place SDK clients are configured. Every check asks this factory for
 * its client, so every call carries the same credentials, retry policy, user
 * agent and endpoint override.
 *
 * This module is only imported by the scan path: `atrest --help` never loads
 * an SDK client (see README, "Start-up").
 */
export interface AwsAccessOptions {
  profile?: string;
  /** --endpoint-url; when absent the SDK's own AWS_ENDPOINT_URL(_<SERVICE>) settings still apply. */
  endpointUrl?: string;
  /** Total attempts per call, including the first (adaptive retry mode). */
  maxAttempts?: number;
  /** Injected in tests; otherwise the SDK's default provider chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Called once for every client created (the progress line's call counters, src/aws/call-stats.ts). */
  instrument?: (client: unknown) => void;
}

/** The shape shared by every SDK v3 client constructor we use. */
export type ClientConstructor<C> = new (config: Record<string, unknown>) => C;

export const DEFAULT_MAX_ATTEMPTS = 8;

export class ClientFactory {
  private readonly clients = new Map<string, unknown>();
  private readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;

  constructor(private readonly options: AwsAccessOptions = {}) {
    // One memoised provider for every client: credentials (SSO, assume-role,
    // IMDS) are resolved once per scan, not once per client.
    this.credentials =
      options.credentials ?? fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
  }

  /** A client for `region`, created once and reused. `extra` is merged into its config (e.g. S3 path style). */
  get<C>(Client: ClientConstructor<C>, region: string, extra: Record<string, unknown> = {}): C {
    const key = `${Client.name}:${region}:${JSON.stringify(extra)}`;
    let client = this.clients.get(key) as C | undefined;
    if (!client) {
      client = new Client({ ...this.baseConfig(region), ...extra });
      this.options.instrument?.(client);
      this.clients.set(key, client);
    }
    return client;
  }

  /** The config every client gets. Exposed for tests and for the region lookup. */
  baseConfig(region?: string): Record<string, unknown> {
    const config: Record<string, unknown> = {
      credentials: this.credentials,
      retryMode: 'adaptive',
      maxAttempts: this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      customUserAgent: [[TOOL_NAME, TOOL_VERSION]],
    };
    if (region) config.region = region;
    if (this.options.profile) config.profile = this.options.profile;
    if (this.options.endpointUrl) config.endpoint = this.options.endpointUrl;
    return config;
  }

  /** The profile credentials come from: --profile, else AWS_PROFILE, else none (the default chain). */
  get profile(): string | undefined {
    return this.options.profile ?? process.env.AWS_PROFILE;
  }

  /**
   * A factory for another account: the same configuration (endpoint,
   * retries, instrumentation, and whatever baseConfig adds) with other
   * credentials, e.g. an assumed role's (src/collect/accounts.ts).
   */
  withCredentials(credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider): ClientFactory {
    const parent = this;
    return new (class extends ClientFactory {
      override baseConfig(region?: string): Record<string, unknown> {
        const { profile: _profile, ...config } = parent.baseConfig(region);
        return { ...config, credentials };
      }
    })({ ...this.options, profile: undefined, credentials });
  }

  get endpointOverridden(): boolean {
    return Boolean(this.options.endpointUrl);
  }

  destroy(): void {
    for (const client of this.clients.values()) {
      (client as { destroy?: () => void }).destroy?.();
    }
    this.clients.clear();
  }
}
