import { inferProviderModel } from '../catalog/infer-provider-model.js';
import type { ModelCatalog } from '../catalog/model-catalog.js';
import type { ModelTarget } from '../config/default-models.js';
import { toRoutingText } from '../core/request/routing-text.js';
import type { RoutePolicy } from '../core/route.js';
import type { RouterModel, RouterState } from '../core/router-state.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { ChatRequest } from '../types/chat.js';
import { PROVIDER_IDS } from '../types/provider-id.js';
import type { RoutingDecision } from '../types/routing-decision.js';
import type { EmbeddingSlot, HeimdallRouter } from './create-router.js';
import type { DispatchTarget } from './dispatch-target.js';
import type { RequestCredentials } from './request-credentials.js';

/** Where a request will be sent, and why. */
export interface RequestPlan {
  /** True for `auto` and route aliases. */
  readonly routed: boolean;
  readonly decision?: RoutingDecision;
  /** Time the routing decision took (0 for explicit models). */
  readonly decisionMs: number;
  /** In order of preference. */
  readonly targets: ReadonlyArray<DispatchTarget>;
  /** The decision's bucket, or `explicit`. */
  readonly bucket: string;
  /** The embedding the decision was made with (absent on a decision-cache hit); the decision log stores it. */
  readonly embedding?: Float32Array;
}

/** What planning reads; the getters return the snapshot in service now. */
export interface PlanDeps {
  readonly router: HeimdallRouter;
  readonly state: () => RouterState;
  readonly catalog: ModelCatalog;
  /** Config `models`: artifact model names and their serving targets. */
  readonly models: () => Readonly<Record<string, ModelTarget>>;
  /** Config `unlisted_models`: `pass` (default) sends an explicit id the catalog does not list to the provider its spelling names. */
  readonly unlisted?: () => 'pass' | 'refuse';
  /** True when the gateway key has a USD budget (its spend is priced from the catalog). */
  readonly budgeted?: (keyName: string) => boolean;
  readonly now?: () => number;
}

const byNameCache = new WeakMap<RouterState, Map<string, RouterModel>>();

function modelsByName(state: RouterState): Map<string, RouterModel> {
  let m = byNameCache.get(state);
  if (m === undefined) {
    m = new Map(state.models.map((x) => [x.name, x]));
    byNameCache.set(state, m);
  }
  return m;
}

/**
 * Plans one request. `auto` and aliases ask the router (with the principal's price cap) and keep
 * the candidates the principal may use; an explicit model id is resolved against the catalog and
 * the config's model map and goes to its provider directly.
 * @throws GatewayError `caller_model_not_found`, `policy_model_blocked`, `caller_unauthenticated`, `routing_*`.
 */
export async function planRequest(deps: PlanDeps, request: ChatRequest, creds: RequestCredentials): Promise<RequestPlan> {
  const principal = creds.principal;
  if (deps.router.isRouted(request.model)) {
    if (creds.providers.size === 0) {
      throw new GatewayError(
        'caller_unauthenticated',
        'No provider credentials: configure a provider key on the gateway (e.g. OPENROUTER_API_KEY, OPENAI_API_KEY) or send your own provider key',
      );
    }
    const now = deps.now ?? performance.now.bind(performance);
    const policy: RoutePolicy | undefined = principal.maxPriceUsdPerRequest === undefined ? undefined : { maxPriceUsdPerRequest: principal.maxPriceUsdPerRequest };
    const t0 = now();
    const embeddingOut: EmbeddingSlot = {};
    const opts = policy === undefined ? { providers: creds.providers, embeddingOut } : { providers: creds.providers, policy, embeddingOut };
    // The async path only when it buys something (remote embedder, shared cache): the local path stays synchronous.
    const decision = deps.router.prefersAsync ? await deps.router.decideAsync(request, opts) : deps.router.decide(request, opts);
    const decisionMs = now() - t0;
    const byName = modelsByName(deps.state());
    const targets: DispatchTarget[] = [];
    for (const c of decision.candidates) {
      if (!principal.allowsModel(c.id)) continue;
      const window = byName.get(c.name)?.contextWindowTokens;
      targets.push({
        id: c.id,
        name: c.name,
        provider: c.provider,
        providerModel: c.providerModel,
        ...(window === undefined ? {} : { contextWindowTokens: window }),
        reasoning: c.reasoning ?? null,
      });
    }
    if (targets.length === 0) {
      throw new GatewayError('policy_model_blocked', `Your gateway key (${principal.name}) may not use any of the models chosen for this request`);
    }
    const embedding = embeddingOut.embedding;
    return embedding === undefined ? { routed: true, decision, decisionMs, targets, bucket: decision.bucket } : { routed: true, decision, decisionMs, targets, bucket: decision.bucket, embedding };
  }
  const targets = resolveExplicitModel(deps, request.model) ?? (deps.unlisted?.() === 'refuse' ? undefined : unlistedTarget(deps.catalog, request.model));
  if (targets === undefined) {
    throw new GatewayError('caller_model_not_found', `The model \`${request.model}\` does not exist or is not served by this gateway; GET /v1/models lists the models`, {
      param: 'model',
    });
  }
  const first = targets[0] as DispatchTarget;
  if (!principal.allowsModel(first.id)) {
    throw new GatewayError('policy_model_blocked', `Your gateway key (${principal.name}) may not use ${first.id}`, { param: 'model' });
  }
  const cap = principal.maxPriceUsdPerRequest;
  const priced = deps.catalog.findByProviderModel(first.provider, first.providerModel);
  if (priced === undefined && cap === undefined && !principal.anonymous && deps.budgeted?.(principal.name) === true) {
    // Its spend would count as $0 against the budget.
    throw new GatewayError(
      'policy_model_blocked',
      `The catalog has no price for ${first.id}, so it cannot be charged to the budget of your gateway key (${principal.name}); use a listed model or model "auto"`,
      { param: 'model' },
    );
  }
  if (cap !== undefined) {
    // Worst case: the whole prompt plus the most output the request allows, at catalog prices.
    const m = priced;
    if (m === undefined) {
      throw new GatewayError(
        'policy_model_blocked',
        `The catalog has no price for ${first.id}, so the $${cap} limit of your gateway key (${principal.name}) cannot be enforced on it; use a listed model or model "auto"`,
        { param: 'model' },
      );
    }
    const outputTokens = request.maxOutputTokens ?? m.maxOutputTokens;
    const worst = (toRoutingText(request).promptTokens * m.inputPerMTok + outputTokens * m.outputPerMTok) / 1_000_000;
    if (worst > cap) {
      throw new GatewayError(
        'policy_model_blocked',
        `This request could cost up to $${worst.toFixed(4)} on ${first.id}, above the $${cap} limit of your gateway key (${principal.name}); lower max_tokens or use model "auto"`,
        { param: 'model' },
      );
    }
  }
  return { routed: false, decisionMs: 0, targets: targets.filter((t) => principal.allowsModel(t.id)), bucket: 'explicit' };
}

/**
 * A target for an explicit id the catalog does not list, sent to the provider its spelling names
 * (see {@link inferProviderModel}); the provider's own answer says whether the model exists. A model
 * the catalog lists as retired stays refused, under any spelling.
 */
function unlistedTarget(catalog: ModelCatalog, model: string): DispatchTarget[] | undefined {
  const inferred = inferProviderModel(model);
  if (inferred === undefined) return undefined;
  const listed = catalog.findByProviderModel(inferred.provider, inferred.providerModel);
  if (listed !== undefined) return undefined;
  return [{ id: `${inferred.provider}/${inferred.providerModel}`, name: model, provider: inferred.provider, providerModel: inferred.providerModel }];
}

/**
 * Resolves an explicit model id: a catalog id (`openai/gpt-4o-mini`), an artifact model name from
 * the config's model map, or a provider's own model id the catalog knows (`gpt-4o-mini`). Retired
 * models are not served. The same model through OpenRouter, when the catalog has it, is the fallback.
 */
export function resolveExplicitModel(deps: Pick<PlanDeps, 'catalog' | 'models'>, model: string): DispatchTarget[] | undefined {
  const catalog = deps.catalog;
  let found = catalog.get(model);
  if (found === undefined) {
    const mapped = Object.prototype.hasOwnProperty.call(deps.models(), model) ? deps.models()[model] : undefined;
    if (mapped !== undefined) {
      const facts = catalog.findByProviderModel(mapped.provider, mapped.model);
      return [
        {
          id: `${mapped.provider}/${mapped.model}`,
          name: model,
          provider: mapped.provider,
          providerModel: mapped.model,
          ...(facts === undefined ? {} : { contextWindowTokens: facts.contextWindowTokens, acceptsReasoning: facts.reasoning.kind !== 'none' }),
        },
      ];
    }
    for (const p of PROVIDER_IDS) {
      found = catalog.findByProviderModel(p, model);
      if (found !== undefined) break;
    }
    // `provider/model` where the provider's own id is known under another spelling (dated alias).
    const named = found === undefined ? inferProviderModel(model) : undefined;
    if (named !== undefined) found = catalog.findByProviderModel(named.provider, named.providerModel);
  }
  if (found === undefined || found.status === 'retired') return undefined;
  const primary: DispatchTarget = {
    id: found.id,
    name: found.id,
    provider: found.provider,
    providerModel: found.providerModelId,
    contextWindowTokens: found.contextWindowTokens,
    acceptsReasoning: found.reasoning.kind !== 'none',
  };
  const out = [primary];
  if (found.provider !== 'openrouter') {
    const viaOpenRouter = catalog.get(`openrouter/${found.id}`);
    if (viaOpenRouter !== undefined && viaOpenRouter.status !== 'retired') {
      out.push({
        id: viaOpenRouter.id,
        name: viaOpenRouter.id,
        provider: 'openrouter',
        providerModel: viaOpenRouter.providerModelId,
        contextWindowTokens: viaOpenRouter.contextWindowTokens,
        acceptsReasoning: viaOpenRouter.reasoning.kind !== 'none',
      });
    }
  }
  return out;
}
