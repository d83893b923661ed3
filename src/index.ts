/**
 * Heimdall's library surface: the routing core, the router plugin with its PreHook/PostHook
 * pipeline, artifacts, request parsing and the error model. The gateway server and CLI are built
 * on exactly these exports.
 *
 * @example
 * ```ts
 * import { createRoutingRuntime, loadBundledCatalog, loadConfig, parseOpenAIChatRequest } from 'heimdall-router';
 * const runtime = await createRoutingRuntime(loadConfig(), { catalog: loadBundledCatalog() });
 * const decision = runtime.router.decide(parseOpenAIChatRequest(body), { providers: new Set(['openrouter']) });
 * decision.candidates[0]; // { provider, providerModel, reasoning, score, ... } then the ordered fallbacks
 * ```
 */
export { route, type RouteInput, type RoutePolicy, type ObservedStats } from './core/route.js';
export { buildRouterState, type BuildRouterStateInput, type ModelBinding, type CatalogFacts, type RouterOverrides } from './core/build-router-state.js';
export type { RouterState, RouterModel, RouterTuning, ModelReasoningCaps } from './core/router-state.js';
export type { ParsedArtifact, ArtifactModel } from './core/router-artifact.js';
export { routedText, toRoutingText, type RoutingText } from './core/request/routing-text.js';
export { extractFeatures, type PromptFeatures } from './core/features/extract-features.js';
export { estimateTokens } from './core/features/estimate-tokens.js';
export { createHashedEmbedder } from './core/embedding/hashed-embedder.js';
export { parseXGBoostModel, predictGbdt, predictMargin, type GbdtModel } from './core/gbdt/index.js';

export { createRouter, AUTO_MODEL, type HeimdallRouter, type RouterOptions, type DecideOptions } from './engine/create-router.js';
export { createHookPipeline, type Plugin, type HookContext, type HookOutcome, type HookPipeline, type PreHookResult } from './engine/hook-pipeline.js';

export { parseArtifact } from './artifact/parse-artifact.js';
export { artifactSchema, type ArtifactJson } from './artifact/artifact-schema.js';
export { loadArtifactFile, bundledArtifactPath } from './artifact/load-artifact.js';
export { createArtifactStore, type ArtifactStore, type ArtifactStoreOptions, type ArtifactSource } from './artifact/artifact-store.js';
export { createRoutingRuntime, routerStateFromConfig, type RoutingRuntime, type RoutingRuntimeOptions } from './app/create-routing-runtime.js';

export { loadConfig, validateConfigFile, type LoadConfigOptions } from './config/load-config.js';
export type { Config } from './config/config-schema.js';
export { loadBundledCatalog } from './catalog/load-bundled-catalog.js';
export { ModelCatalog } from './catalog/model-catalog.js';
export type { CatalogModel } from './catalog/catalog-model.js';

export { parseOpenAIChatRequest, parseAnthropicMessagesRequest, DEFAULT_REQUEST_LIMITS, type RequestLimits } from './request/index.js';
export { detectCredential, extractClientCredentials, type DetectedCredential, type ClientCredentials } from './auth/index.js';

export { GatewayError, isGatewayError, type GatewayErrorOptions } from './errors/gateway-error.js';
export { ERROR_CODES, isErrorCode, type ErrorCode, type ErrorCodeInfo } from './errors/error-codes.js';
export { toOpenAIErrorBody, toAnthropicErrorBody } from './errors/to-error-body.js';

export type * from './types/chat.js';
export type { StreamPart } from './types/stream-part.js';
export type { RoutingDecision, RoutedCandidate, DecisionExplanation, Bucket } from './types/routing-decision.js';
export type { ProviderId } from './types/provider-id.js';
export type { Embedder, AsyncEmbedder } from './types/embedder.js';
export type { ProviderAdapter, ProviderCallOptions, ProviderCredential } from './providers/provider-adapter.js';
export type { CancelSignal } from './types/cancel-signal.js';
export { Cancellation, toAbortSignal } from './engine/cancellation.js';
