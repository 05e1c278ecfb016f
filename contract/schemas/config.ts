// The openclaw.json file (JSON5). Sections this gateway acts on are modelled closely and closed, so
// a typo names the bad key; sections it only carries through for upstream compatibility are open.
import { z } from 'zod';
import { CronConfig } from './cron-config.js';
import { ExecToolConfig } from './exec-config.js';
import { ChannelsConfig } from './channels-config.js';
import { BrowserConfig } from './browser-config.js';
import { MemoryIndexConfigShape } from './memory-config.js';
import { DiscoveryConfig, GatewayNodesConfig } from './nodes-config.js';
import { SecretInput } from './secret-input.js';
import { SkillsConfig } from './skills-config.js';

export { SecretInput };

const Port = z.number().int().min(1).max(65535);
const PositiveInt = z.number().int().min(1);
const Open = z.looseObject({});

const RateLimitConfig = z.strictObject({
  maxAttempts: PositiveInt.optional(),
  windowMs: PositiveInt.optional(),
  lockoutMs: PositiveInt.optional(),
  exemptLoopback: z.boolean().optional(),
});

const GatewayAuthConfig = z.strictObject({
  mode: z.enum(['none', 'token', 'password', 'trusted-proxy']).optional(),
  token: SecretInput.optional(),
  password: SecretInput.optional(),
  allowTailscale: z.boolean().optional(),
  rateLimit: RateLimitConfig.optional(),
  /** Fixed delay before answering a failed auth attempt (constant, so timing reveals nothing). */
  failureDelayMs: z.number().int().min(0).max(10_000).optional(),
  trustedProxy: Open.optional(),
});

const ControlUiConfig = z.strictObject({
  enabled: z.boolean().optional(),
  basePath: z.string().optional(),
  root: z.string().optional(),
  embedSandbox: z.unknown().optional(),
  allowExternalEmbedUrls: z.boolean().optional(),
  allowedOrigins: z.array(z.string()).optional(),
  dangerouslyAllowHostHeaderOriginFallback: z.boolean().optional(),
  allowInsecureAuth: z.boolean().optional(),
  dangerouslyDisableDeviceAuth: z.boolean().optional(),
});

const NonNegativeInt = z.number().int().min(0);
/** How many entries are kept, and for how long (seconds). */
const RetentionConfig = z.strictObject({ maxEntries: NonNegativeInt.optional(), ttlSeconds: z.number().positive().optional() });

/** One OpenAI-compatible endpoint; open for upstream keys this gateway does not use. */
const EndpointToggle = z.looseObject({
  enabled: z.boolean().optional(),
  maxBodyBytes: PositiveInt.optional(),
  /** Image parts per request (default 8). */
  maxImageParts: NonNegativeInt.optional(),
  /** Decoded bytes of all inline images in one request (default 20 MiB). */
  maxTotalImageBytes: NonNegativeInt.optional(),
  images: z
    .looseObject({
      /** Decoded bytes of one inline image (default 10 MiB). */
      maxBytes: NonNegativeInt.optional(),
      /** Accepted media types (default jpeg, png, gif, webp, heic, heif). */
      allowedMimes: z.array(z.string().min(1)).optional(),
      /** Whether image parts may be http(s) URLs (default false on chatCompletions, true on responses). */
      allowUrl: z.boolean().optional(),
      /** Hosts image URLs may name (`example.com`, `*.example.com`); empty or absent: any. */
      urlAllowlist: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  /** Image and file parts given by URL per request (default 8); /v1/responses only. */
  maxUrlParts: NonNegativeInt.optional(),
  /** input_file parts; /v1/responses only. */
  files: z
    .looseObject({
      /** Whether files may be given by URL, which the gateway then fetches (default true). */
      allowUrl: z.boolean().optional(),
      /** Hosts file URLs may name (`example.com`, `*.example.com`); empty or absent: any public host. Hosts listed exactly (not by `*.`) may be private addresses. */
      urlAllowlist: z.array(z.string().min(1)).optional(),
      /** Accepted media types (default text/plain, text/markdown, text/html, text/csv, application/json). */
      allowedMimes: z.array(z.string().min(1)).optional(),
      /** Bytes per file (default 5 MiB). */
      maxBytes: NonNegativeInt.optional(),
      /** Characters of text per file (default 200 000). */
      maxChars: NonNegativeInt.optional(),
      /** Redirects followed when fetching (default 3). */
      maxRedirects: NonNegativeInt.optional(),
      /** Deadline of one fetch, redirects included (default 10 000 ms). */
      timeoutMs: PositiveInt.optional(),
    })
    .optional(),
  /** Sessions of requests that named none (default 1000, 6 h, like storedResponses), pruned oldest first. */
  statelessSessions: RetentionConfig.optional(),
  /** Responses `previous_response_id` can continue (default 1000, 6 h); /v1/responses only. */
  storedResponses: RetentionConfig.optional(),
});

const GatewayHttpConfig = z.strictObject({
  endpoints: z
    .strictObject({
      chatCompletions: EndpointToggle.optional(),
      responses: EndpointToggle.optional(),
    })
    .optional(),
  securityHeaders: z
    .strictObject({ strictTransportSecurity: z.union([z.string(), z.literal(false)]).optional() })
    .optional(),
  /** Body limit for /tools/invoke. */
  toolsInvokeMaxBodyBytes: PositiveInt.optional(),
  /** How long a request body may take to arrive before a 408 (default 30 000 ms). */
  requestBodyTimeoutMs: PositiveInt.optional(),
});

/** Transport limits (docs/protocol.md "Limits"); every one has a default. */
const GatewayLimitsConfig = z.strictObject({
  preauthMaxPayload: PositiveInt.optional(),
  maxPayload: PositiveInt.optional(),
  maxBufferedBytes: PositiveInt.optional(),
  handshakeTimeoutMs: PositiveInt.optional(),
  maxPreauthPerIp: PositiveInt.optional(),
  tickIntervalMs: PositiveInt.optional(),
  pingIntervalMs: PositiveInt.optional(),
  maxInFlightPerConnection: PositiveInt.optional(),
  /** TCP connections one address may hold (default 16 384, and always below the open-file limit). */
  maxConnectionsPerIp: PositiveInt.optional(),
  /** Connections one address may hold before sending a request (default 256); beyond, its oldest idle one is closed. */
  maxIdleSocketsPerIp: PositiveInt.optional(),
  /** How long a connection may stay without sending a request (default 15 000 ms). */
  idleSocketTimeoutMs: PositiveInt.optional(),
  /** Agent runs executing at once across the gateway (default 256); more wait for a slot. */
  maxActiveRuns: PositiveInt.optional(),
  /** Runs that may wait for a slot (default 2048); beyond, new runs are refused as overloaded (HTTP 503 with Retry-After). */
  maxQueuedRuns: NonNegativeInt.optional(),
  /** How long a run may wait for a slot before it fails as overloaded (default 60 000 ms). */
  runQueueTimeoutMs: PositiveInt.optional(),
});

/** The browser proxy at /api/gateway/ws. */
const GatewayProxyConfig = z.strictObject({
  enabled: z.boolean().optional(),
  allowedOrigins: z.array(z.string()).optional(),
  allowAdminScope: z.boolean().optional(),
  maxQueuedFrames: PositiveInt.optional(),
  upstreamTimeoutMs: PositiveInt.optional(),
});

export const GatewayConfig = z.strictObject({
  mode: z.enum(['local', 'remote']).optional(),
  port: Port.optional(),
  bind: z.enum(['loopback', 'lan', 'tailnet', 'auto', 'custom']).optional(),
  customBindHost: z.string().optional(),
  auth: GatewayAuthConfig.optional(),
  trustedProxies: z.array(z.string()).optional(),
  allowRealIpFallback: z.boolean().optional(),
  controlUi: ControlUiConfig.optional(),
  http: GatewayHttpConfig.optional(),
  tools: z.strictObject({ deny: z.array(z.string()).optional(), allow: z.array(z.string()).optional() }).optional(),
  reload: z
    .strictObject({
      mode: z.enum(['off', 'restart', 'hot', 'hybrid']).optional(),
      debounceMs: z.number().int().min(0).optional(),
      deferralTimeoutMs: z.number().int().min(0).optional(),
    })
    .optional(),
  limits: GatewayLimitsConfig.optional(),
  proxy: GatewayProxyConfig.optional(),
  tls: Open.optional(),
  tailscale: Open.optional(),
  remote: Open.optional(),
  nodes: GatewayNodesConfig.optional(),
  push: Open.optional(),
  webchat: z.looseObject({ chatHistoryMaxChars: PositiveInt.optional() }).optional(),
  channelHealthCheckMinutes: z.number().optional(),
  channelStaleEventThresholdMinutes: z.number().optional(),
  channelMaxRestartsPerHour: z.number().optional(),
});

export const ModelRef = z.union([
  z.string().min(1),
  z.strictObject({ primary: z.string().min(1).optional(), fallbacks: z.array(z.string()).optional() }),
]);

export const ModelCost = z.strictObject({
  /** USD per million input tokens. */
  input: z.number().min(0).optional(),
  output: z.number().min(0).optional(),
  cacheRead: z.number().min(0).optional(),
  cacheWrite: z.number().min(0).optional(),
});

export const ProviderModelConfig = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  reasoning: z.boolean().optional(),
  input: z.array(z.string()).optional(),
  cost: ModelCost.optional(),
  contextWindow: PositiveInt.optional(),
  contextTokens: PositiveInt.optional(),
  maxTokens: PositiveInt.optional(),
});

export const ProviderConfig = z.looseObject({
  baseUrl: z.string().min(1),
  apiKey: SecretInput.optional(),
  api: z
    .enum(['openai-completions', 'openai-responses', 'anthropic-messages', 'google-generative-ai'])
    .optional(),
  models: z.array(ProviderModelConfig).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  authHeader: z.boolean().optional(),
  timeoutMs: PositiveInt.optional(),
  /** Automatic retries of 429/503 answers whose Retry-After is short (default 2 retries, waits up to 2000 ms). */
  retry: z.strictObject({ maxRetries: NonNegativeInt.max(10).optional(), maxWaitMs: NonNegativeInt.max(60_000).optional() }).optional(),
});

export const ModelsConfig = z.looseObject({
  mode: z.enum(['merge', 'replace']).optional(),
  providers: z.record(z.string().min(1), ProviderConfig).optional(),
});

const ToolPolicyConfig = z.looseObject({
  profile: z.string().optional(),
  allow: z.array(z.string()).optional(),
  deny: z.array(z.string()).optional(),
  exec: ExecToolConfig.optional(),
});

/** The embedding model of an agent (memory search, /v1/embeddings); open for upstream keys this gateway does not use. */
export const MemorySearchConfig = z.looseObject({
  /** A models.providers id whose server answers `/embeddings`. */
  provider: z.string().min(1).optional(),
  /** The embedding model id (or `<provider>/<model>`). */
  model: z.string().min(1).optional(),
  /** An OpenAI-compatible embeddings server of its own, instead of a models.providers entry. */
  remote: z
    .looseObject({ baseUrl: z.string().min(1).optional(), apiKey: SecretInput.optional(), headers: z.record(z.string(), z.string()).optional() })
    .optional(),
  /** Vector length to ask for when a request gives no `dimensions`. */
  outputDimensionality: PositiveInt.optional(),
  ...MemoryIndexConfigShape,
});

export const AgentEntryConfig = z.looseObject({
  id: z.string().min(1),
  default: z.boolean().optional(),
  name: z.string().optional(),
  workspace: z.string().optional(),
  agentDir: z.string().optional(),
  model: ModelRef.optional(),
  identity: z
    .looseObject({
      name: z.string().optional(),
      theme: z.string().optional(),
      emoji: z.string().optional(),
      avatar: z.string().optional(),
    })
    .optional(),
  tools: ToolPolicyConfig.optional(),
  thinkingDefault: z.string().optional(),
  memorySearch: MemorySearchConfig.optional(),
});

export const AgentsConfig = z.looseObject({
  defaults: z
    .looseObject({
      model: ModelRef.optional(),
      models: z.record(z.string(), z.unknown()).optional(),
      workspace: z.string().optional(),
      maxToolSteps: PositiveInt.optional(),
      timeoutSeconds: PositiveInt.optional(),
      memorySearch: MemorySearchConfig.optional(),
    })
    .optional(),
  list: z.array(AgentEntryConfig).optional(),
});

export const LoggingConfig = z.looseObject({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  file: z.string().optional(),
  consoleLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  redactSensitive: z.enum(['off', 'tools']).optional(),
});

export const SessionConfig = z.looseObject({
  scope: z.enum(['per-sender', 'global']).optional(),
  /** How DM sessions of channel senders are keyed (default here per-channel-peer; upstream's default is main). */
  dmScope: z.enum(['main', 'per-peer', 'per-channel-peer', 'per-account-channel-peer']).optional(),
  mainKey: z.string().min(1).optional(),
});

/** The whole file. Unknown top-level keys are rejected so a misspelled section is reported. */
export const OpenClawConfig = z.strictObject({
  $schema: z.string().optional(),
  meta: Open.optional(),
  auth: Open.optional(),
  acp: Open.optional(),
  env: Open.optional(),
  wizard: Open.optional(),
  diagnostics: Open.optional(),
  logging: LoggingConfig.optional(),
  cli: Open.optional(),
  update: Open.optional(),
  browser: BrowserConfig.optional(),
  ui: Open.optional(),
  secrets: Open.optional(),
  skills: SkillsConfig.optional(),
  plugins: Open.optional(),
  models: ModelsConfig.optional(),
  nodeHost: Open.optional(),
  agents: AgentsConfig.optional(),
  tools: ToolPolicyConfig.optional(),
  /** Routing of channels to agents; entries are read as `AgentBinding` (channels-config.ts), others ignored. */
  bindings: z.array(z.unknown()).optional(),
  broadcast: Open.optional(),
  audio: Open.optional(),
  media: Open.optional(),
  messages: Open.optional(),
  commands: Open.optional(),
  approvals: Open.optional(),
  session: SessionConfig.optional(),
  web: Open.optional(),
  channels: ChannelsConfig.optional(),
  cron: CronConfig.extend({ webhookToken: SecretInput.optional() }).optional(),
  hooks: Open.optional(),
  discovery: DiscoveryConfig.optional(),
  canvasHost: Open.optional(),
  talk: Open.optional(),
  gateway: GatewayConfig.optional(),
  memory: Open.optional(),
  mcp: Open.optional(),
});
export type OpenClawConfig = z.infer<typeof OpenClawConfig>;
