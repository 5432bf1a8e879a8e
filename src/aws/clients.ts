import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { TokenBucket, type Clock } from '../util/rate.js';
import { CallBudget } from './call-budget.js';
import { CallGate } from './call-gate.js';
import { quotaFor } from './operation-quotas.js';
import { AtrestRetryStrategy } from './retry-strategy.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, TimedHandler } from './timed-handler.js';

/**
 * The one place SDK clients are configured. Every check asks this factory for
 * its client, so every call carries the same credentials, retry policy,
 * timeouts, user agent and endpoint override, and goes through the call gate
 * of its service and Region (call-gate.ts).
 *
 * One factory per account. The factories of one run share one CallBudget
 * (the overall ceiling of calls in flight, --max-duration, later passes).
 *
 * This module is only imported by the scan path: `atrest --help` never loads
 * an SDK client (see README, "Start-up").
 */
export interface AwsAccessOptions {
  profile?: string;
  /** --endpoint-url; when absent the SDK's own AWS_ENDPOINT_URL(_<SERVICE>) settings still apply. */
  endpointUrl?: string;
  /** --max-attempts: the most attempts a call makes, later passes included (see retry-strategy.ts). */
  maxAttempts?: number;
  /** --concurrency: attempts in flight per service and Region. */
  concurrency?: number;
  /** --connect-timeout in milliseconds. */
  connectTimeoutMs?: number;
  /** --request-timeout in milliseconds: the whole of one attempt, first byte out to last byte in. */
  requestTimeoutMs?: number;
  /** Shared by every factory of a run; a factory without one makes its own (no --max-duration). */
  budget?: CallBudget;
  /** Injected in tests; otherwise the SDK's default provider chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Injected in tests: the clock that paces operations with low quotas. */
  clock?: Clock;
  /** Called once for every client created (the progress line's call counters, src/aws/call-stats.ts). */
  instrument?: (client: unknown) => void;
}

/** The shape shared by every SDK v3 client constructor we use. */
export type ClientConstructor<C> = new (config: Record<string, unknown>) => C;

export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_CONCURRENCY = 8;

interface MiddlewareClient {
  config?: { credentials?: unknown };
  middlewareStack: {
    add(middleware: unknown, options: Record<string, unknown>): void;
    addRelativeTo(middleware: unknown, options: Record<string, unknown>): void;
  };
}

type Next = (args: unknown) => Promise<unknown>;
interface MiddlewareContext {
  commandName?: string;
}

export class ClientFactory {
  readonly budget: CallBudget;
  private readonly clients = new Map<string, unknown>();
  private readonly gates = new Map<string, CallGate>();
  private readonly pacers = new Map<string, TokenBucket>();
  private readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  private sharedAgents: { httpAgent: HttpAgent; httpsAgent: HttpsAgent } | undefined;

  constructor(private readonly options: AwsAccessOptions = {}) {
    // One memoised provider for every client: credentials (SSO, assume-role,
    // IMDS) are resolved once per scan, not once per client.
    this.credentials =
      options.credentials ?? fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
    this.budget = options.budget ?? new CallBudget();
  }

  /** A client for `region`, created once and reused. `extra` is merged into its config (e.g. S3 path style). */
  get<C>(Client: ClientConstructor<C>, region: string, extra: Record<string, unknown> = {}): C {
    const key = `${Client.name}:${region}:${JSON.stringify(extra)}`;
    let client = this.clients.get(key) as C | undefined;
    if (!client) {
      const service = Client.name.replace(/Client$/, '');
      const gate = this.gate(service, region);
      const config: Record<string, unknown> = { ...this.baseConfig(region), ...extra };
      config.retryStrategy = new AtrestRetryStrategy({
        maxAttempts: typeof config.maxAttempts === 'number' ? config.maxAttempts : DEFAULT_MAX_ATTEMPTS,
        gate,
        budget: this.budget,
      });
      config.requestHandler ??= new TimedHandler({
        connectTimeoutMs: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        requestTimeoutMs: this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        maxSockets: this.budget.maxInFlight,
        deadline: this.budget.deadline,
        ...this.agents(),
      });
      client = new Client(config);
      this.attach(client as unknown as MiddlewareClient, service, gate);
      this.options.instrument?.(client);
      this.clients.set(key, client);
    }
    return client;
  }

  /** The config every client gets. Exposed for tests and for the region lookup. */
  baseConfig(region?: string): Record<string, unknown> {
    const config: Record<string, unknown> = {
      credentials: this.credentials,
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

  /** --concurrency: attempts in flight per service and Region. */
  get concurrency(): number {
    return this.options.concurrency ?? DEFAULT_CONCURRENCY;
  }

  /** The gate of one service in one Region (created on first use). `service` is the SDK client name without "Client". */
  gate(service: string, region: string): CallGate {
    const key = `${service}:${region}`;
    let gate = this.gates.get(key);
    if (!gate) {
      gate = new CallGate({
        concurrency: this.concurrency,
        budget: this.budget,
        service,
        pacer: (operation) => this.pacer(service, region, operation),
        ...(this.options.clock ? { clock: this.options.clock } : {}),
      });
      this.gates.set(key, gate);
    }
    return gate;
  }

  /** Every gate made so far, keyed "Service:region" (tests and the benchmarks read their peaks). */
  allGates(): ReadonlyMap<string, CallGate> {
    return this.gates;
  }

  destroy(): void {
    for (const client of this.clients.values()) {
      (client as { destroy?: () => void }).destroy?.();
    }
    this.clients.clear();
    this.sharedAgents?.httpAgent.destroy();
    this.sharedAgents?.httpsAgent.destroy();
    this.sharedAgents = undefined;
  }

  /**
   * One pair of keep-alive agents for every client of the factory: clients
   * that talk to the same endpoint (S3 clients of one Region with different
   * settings, every client with --endpoint-url) reuse each other's
   * connections. No queueing inside them: at most the overall ceiling of
   * attempts is ever on the wire (the call budget), so that is their limit.
   */
  private agents(): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
    this.sharedAgents ??= {
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: this.budget.maxInFlight }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: this.budget.maxInFlight }),
    };
    return this.sharedAgents;
  }

  /** The pacing bucket of an operation with a published low quota, shared as widely as the quota is counted. */
  private pacer(service: string, region: string, operation: string): TokenBucket | undefined {
    const quota = quotaFor(service, operation);
    if (!quota) return undefined;
    const key = `${service}:${quota.pool ?? operation}:${quota.scope === 'account' ? '*' : region}`;
    let bucket = this.pacers.get(key);
    if (!bucket) {
      bucket = new TokenBucket({ ratePerSecond: quota.ratePerSecond, burst: quota.burst, ...(this.options.clock ? { clock: this.options.clock } : {}) });
      this.pacers.set(key, bucket);
    }
    return bucket;
  }

  /**
   * Two middlewares on every client: around each call (outermost), the
   * counters and the later-pass bookkeeping; around each attempt (right
   * after the retry middleware, before signing — so a call that waits for a
   * slot is signed when it is sent), the gate.
   */
  private attach(client: MiddlewareClient, service: string, gate: CallGate): void {
    const budget = this.budget;
    client.middlewareStack.add(
      (next: Next, context: MiddlewareContext) => async (args: unknown) => {
        const operation = operationName(context);
        const stats = budget.operation(service, operation);
        stats.calls += 1;
        if (budget.expired) {
          stats.errors += 1;
          throw budget.deadline.reason;
        }
        budget.later.callStarted();
        try {
          return await next(args);
        } catch (error) {
          stats.errors += 1;
          throw error;
        } finally {
          budget.later.callEnded();
        }
      },
      { step: 'initialize', priority: 'high', name: 'atrestCallMiddleware', override: true },
    );
    client.middlewareStack.addRelativeTo(
      (next: Next, context: MiddlewareContext) => (args: unknown) =>
        gate.attempt(operationName(context), async () => {
          await freshIdentity(context, client);
          try {
            return await next(args);
          } catch (error) {
            if (isExpiredCredentials(error)) (context as Record<symbol, unknown>)[FORCE_REFRESH] = true;
            throw error;
          }
        }),
      { relation: 'after', toMiddleware: 'retryMiddleware', name: 'atrestGateMiddleware', override: true },
    );
  }
}

/** Where the SDK keeps the identity it resolved for a call (before its retry loop). */
const SMITHY_CONTEXT_KEY = '__smithy_context';
/** Set on a call whose attempt was refused with expired credentials: the next attempt resolves them afresh. */
const FORCE_REFRESH = Symbol('atrest.forceRefresh');
/** Credentials this close to their expiry are resolved again before an attempt is signed. */
const IDENTITY_MARGIN_MS = 60_000;

function isExpiredCredentials(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  return name === 'ExpiredToken' || name === 'ExpiredTokenException' || name === 'TokenRefreshRequired';
}

/**
 * The SDK resolves a call's credentials once, before its retries, so an
 * attempt that waited at a gate or in a later pass could be signed with
 * credentials that expired meanwhile (assumed-role sessions last an hour).
 * Before each attempt is signed, credentials that are about to expire — or
 * that AWS just refused as expired — are asked for again; the provider
 * (the SDK's, or the assumed role's) refreshes them.
 */
async function freshIdentity(context: MiddlewareContext, client: { config?: { credentials?: unknown } }): Promise<void> {
  const smithy = (context as Record<string, { selectedHttpAuthScheme?: { identity?: { expiration?: unknown } } } | undefined>)[SMITHY_CONTEXT_KEY];
  const selected = smithy?.selectedHttpAuthScheme;
  const provider = client.config?.credentials;
  if (!selected?.identity || typeof provider !== 'function') return;
  const flags = context as Record<symbol, unknown>;
  const forced = flags[FORCE_REFRESH] === true;
  const expiration = selected.identity.expiration;
  // (Duck-typed: a Date made by another realm, or a test's fake clock, is not `instanceof Date`.)
  const expiresAt = typeof (expiration as Date | undefined)?.getTime === 'function' ? (expiration as Date).getTime() : NaN;
  const expiring = expiresAt - Date.now() < IDENTITY_MARGIN_MS;
  if (!forced && !expiring) return;
  flags[FORCE_REFRESH] = false;
  selected.identity = await (provider as (options?: { forceRefresh?: boolean }) => Promise<{ expiration?: unknown }>)({ forceRefresh: forced });
}

function operationName(context: MiddlewareContext): string {
  return (context.commandName ?? 'unknown').replace(/Command$/, '');
}
