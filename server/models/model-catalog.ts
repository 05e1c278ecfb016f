// Which models exist and which one a run uses: the providers of `models.providers`, the
// `agents.defaults.model` / per-agent model refs (`<provider>/<model>`, or an alias from
// `agents.defaults.models`), and the built-in offline responder when nothing is configured.
import { configuredAgent } from '../agents/agent-directory.js';
import type { ModelChoice } from '../../contract/schemas/models.js';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import { resolveSecret } from '../config/gateway-settings.js';
import { gatewayErrors } from '../core/error-constructors.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { ModelProvider, ModelStreamEvent } from '../providers/model-types.js';
import { OFFLINE_MODEL_ID, OFFLINE_MODEL_NAME, OFFLINE_PROVIDER_ID, OfflineProvider } from '../providers/offline-provider.js';
import { OpenAiCompatibleProvider, type ProviderRetryWait } from '../providers/openai-compatible-provider.js';
import { ProviderError } from '../providers/provider-error.js';

/** USD per million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
}

export interface ResolvedModel {
  /** `<provider>/<model>`. */
  readonly ref: string;
  readonly providerId: string;
  readonly modelId: string;
  readonly name: string;
  readonly provider: ModelProvider;
  /** Undefined when the config gives no price: usage is counted, cost is not. */
  readonly price: ModelPrice | undefined;
  readonly contextWindow: number | undefined;
  readonly maxTokens: number | undefined;
  /** The model reads images (`input` lists "image"): tool results may show it screenshots. */
  readonly imageInput?: boolean;
}

type ProviderConfig = NonNullable<NonNullable<OpenClawConfig['models']>['providers']>[string];

/** A provider whose `api` this gateway does not speak fails every call with a config error. */
class UnsupportedApiProvider implements ModelProvider {
  constructor(
    readonly id: string,
    private readonly api: string,
  ) {}
  // eslint-disable-next-line require-yield
  async *stream(): AsyncGenerator<ModelStreamEvent> {
    throw new ProviderError('config', this.id, `models.providers.${this.id}.api "${this.api}" is not supported by this gateway; point it at an OpenAI-compatible endpoint with api "openai-completions"`);
  }
}

const refOf = (value: string | { primary?: string | undefined } | undefined): string | undefined =>
  typeof value === 'string' ? value : value?.primary;

export class ModelCatalog {
  private readonly offline = new OfflineProvider();
  /** Providers by their config object: a config reload brings new objects and so new providers. */
  private readonly built = new WeakMap<ProviderConfig, ModelProvider>();

  constructor(
    private readonly config: () => OpenClawConfig,
    /** The gateway's environment (`rt.env`), never process.env behind its back. */
    private readonly env: NodeJS.ProcessEnv,
    /** Told about each automatic retry wait (429/503 with a short Retry-After). */
    private readonly logger?: Pick<GatewayLogger, 'info'>,
  ) {}

  private providers(): Record<string, ProviderConfig> {
    return this.config().models?.providers ?? {};
  }

  /** models.list: the allowlist when `agents.defaults.models` is set, else every configured model. */
  list(): ModelChoice[] {
    const providers = this.providers();
    const allow = this.config().agents?.defaults?.models;
    const out: ModelChoice[] = [];
    for (const [providerId, provider] of Object.entries(providers)) {
      for (const model of provider.models ?? []) {
        const ref = `${providerId}/${model.id}`;
        const allowEntry = allow?.[ref] as { alias?: unknown } | undefined;
        if (allow && !allowEntry) continue;
        out.push({
          id: model.id,
          name: model.name ?? model.id,
          provider: providerId,
          ...(typeof allowEntry?.alias === 'string' ? { alias: allowEntry.alias } : {}),
          ...(model.contextWindow ? { contextWindow: model.contextWindow } : {}),
          ...(model.reasoning === undefined ? {} : { reasoning: model.reasoning }),
        });
      }
    }
    if (Object.keys(providers).length === 0) out.push({ id: OFFLINE_MODEL_ID, name: OFFLINE_MODEL_NAME, provider: OFFLINE_PROVIDER_ID });
    return out;
  }

  /** The ref a run of this agent uses when nothing overrides it. */
  defaultRef(agentId?: string): string {
    const cfg = this.config();
    const agent = agentId ? configuredAgent(cfg, agentId) : undefined;
    const configured = refOf(agent?.model) ?? refOf(cfg.agents?.defaults?.model);
    if (configured) return configured;
    for (const [providerId, provider] of Object.entries(this.providers())) {
      const first = provider.models?.[0];
      if (first) return `${providerId}/${first.id}`;
    }
    return `${OFFLINE_PROVIDER_ID}/${OFFLINE_MODEL_ID}`;
  }

  /** Resolves a ref (or the agent's default). Throws GatewayError MODEL_NOT_FOUND for an unknown provider or alias. */
  resolve(ref: string | undefined, agentId?: string): ResolvedModel {
    const wanted = (ref ?? this.defaultRef(agentId)).trim();
    const full = this.expandAlias(wanted);
    const providers = this.providers();
    const slash = full.indexOf('/');
    const providerId = slash > 0 ? full.slice(0, slash) : '';
    const modelId = slash > 0 ? full.slice(slash + 1) : full;
    if (providerId === OFFLINE_PROVIDER_ID && !providers[OFFLINE_PROVIDER_ID]) {
      return { ref: full, providerId, modelId, name: OFFLINE_MODEL_NAME, provider: this.offline, price: undefined, contextWindow: undefined, maxTokens: undefined };
    }
    const config = providers[providerId];
    if (config) return this.build(providerId, config, modelId);
    // A bare model id: the first provider that lists it.
    for (const [id, provider] of Object.entries(providers)) {
      if (provider.models?.some((m) => m.id === full)) return this.build(id, provider, full);
    }
    const known = Object.keys(providers);
    throw gatewayErrors.MODEL_NOT_FOUND(
      { model: wanted },
      `unknown model "${wanted}"; use "<provider>/<model>" with a provider from models.providers (${known.length ? known.join(', ') : 'none configured'})`,
    );
  }

  private expandAlias(ref: string): string {
    const allow = this.config().agents?.defaults?.models;
    if (!allow || ref.includes('/')) return ref;
    for (const [full, entry] of Object.entries(allow)) {
      if ((entry as { alias?: unknown } | null)?.alias === ref) return full;
    }
    return ref;
  }

  private build(providerId: string, config: ProviderConfig, modelId: string): ResolvedModel {
    const model = config.models?.find((m) => m.id === modelId);
    const cost = model?.cost;
    return {
      ref: `${providerId}/${modelId}`,
      providerId,
      modelId,
      name: model?.name ?? modelId,
      provider: this.providerFor(providerId, config),
      price: cost
        ? { input: cost.input ?? 0, output: cost.output ?? 0, cacheRead: cost.cacheRead ?? 0, cacheWrite: cost.cacheWrite ?? 0 }
        : undefined,
      contextWindow: model?.contextWindow,
      maxTokens: model?.maxTokens,
      imageInput: model?.input?.includes('image') ?? false,
    };
  }

  private providerFor(providerId: string, config: ProviderConfig): ModelProvider {
    const cached = this.built.get(config);
    if (cached) return cached;
    const provider: ModelProvider =
      config.api && config.api !== 'openai-completions'
        ? new UnsupportedApiProvider(providerId, config.api)
        : new OpenAiCompatibleProvider({
            id: providerId,
            baseUrl: config.baseUrl,
            apiKey: () => resolveSecret(config.apiKey, this.env, `models.providers.${providerId}.apiKey`),
            reasoningModels: (config.models ?? []).filter((m) => m.reasoning === true).map((m) => m.id),
            ...(config.headers ? { headers: config.headers } : {}),
            ...(config.authHeader === undefined ? {} : { authHeader: config.authHeader }),
            ...(config.timeoutMs ? { idleTimeoutMs: config.timeoutMs } : {}),
            ...(config.retry ? { retry: config.retry } : {}),
            ...(this.logger ? { onRetryWait: (wait: ProviderRetryWait) => this.logger?.info('provider asked to wait; retrying', { provider: providerId, ...wait }) } : {}),
          });
    this.built.set(config, provider);
    return provider;
  }
}

/** Cost in USD of some usage at a price (per million tokens). */
export function costOf(
  usage: { input: number; output: number; cacheRead: number; cacheWrite: number },
  price: ModelPrice,
): { input: number; output: number; cacheRead: number; cacheWrite: number; total: number } {
  const input = (usage.input * price.input) / 1e6;
  const output = (usage.output * price.output) / 1e6;
  const cacheRead = (usage.cacheRead * price.cacheRead) / 1e6;
  const cacheWrite = (usage.cacheWrite * price.cacheWrite) / 1e6;
  return { input, output, cacheRead, cacheWrite, total: input + output + cacheRead + cacheWrite };
}
