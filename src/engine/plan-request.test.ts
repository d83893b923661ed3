import { describe, expect, it } from 'vitest';
import { loadBundledCatalog } from '../catalog/load-bundled-catalog.js';
import { DEFAULT_MODEL_MAP } from '../config/default-models.js';
import type { GatewayPrincipal } from '../auth/api-key-authenticator.js';
import type { RouterState } from '../core/router-state.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { ChatRequest } from '../types/chat.js';
import type { HeimdallRouter } from './create-router.js';
import { planRequest, resolveExplicitModel, type PlanDeps } from './plan-request.js';
import type { RequestCredentials } from './request-credentials.js';

const deps = { catalog: loadBundledCatalog(), models: () => DEFAULT_MODEL_MAP };

describe('resolveExplicitModel', () => {
  it('resolves catalog ids, bare provider ids and artifact names', () => {
    expect(resolveExplicitModel(deps, 'openai/gpt-4o-mini')?.map((t) => t.id)).toEqual(['openai/gpt-4o-mini', 'openrouter/openai/gpt-4o-mini']);
    expect(resolveExplicitModel(deps, 'gpt-4o-mini')?.[0]).toMatchObject({ provider: 'openai', providerModel: 'gpt-4o-mini', contextWindowTokens: 128_000 });
    expect(resolveExplicitModel(deps, 'claude-sonnet-4-5')?.[0]).toMatchObject({ provider: 'anthropic', providerModel: 'claude-sonnet-4-5' });
    expect(resolveExplicitModel(deps, 'qwen2.5-7b-instruct')?.[0]).toMatchObject({ provider: 'openrouter', providerModel: 'qwen/qwen-2.5-7b-instruct' });
    expect(resolveExplicitModel(deps, 'openrouter/qwen/qwen-2.5-7b-instruct')).toHaveLength(1);
  });

  it('does not serve unknown or retired models', () => {
    expect(resolveExplicitModel(deps, 'gpt-nonexistent')).toBeUndefined();
    expect(resolveExplicitModel(deps, 'openai/nonexistent')).toBeUndefined();
    expect(resolveExplicitModel(deps, 'anthropic/claude-opus-4-1')).toBeUndefined();
  });
});

describe('planRequest: explicit ids the catalog does not list', () => {
  // Only the explicit path runs: nothing here is routed.
  const router = { isRouted: (model: string) => model === 'auto' } as unknown as HeimdallRouter;
  const planDeps = (unlisted?: 'pass' | 'refuse'): PlanDeps => ({
    router,
    state: () => ({}) as RouterState,
    ...deps,
    ...(unlisted === undefined ? {} : { unlisted: () => unlisted }),
  });
  const principal = (extra: Partial<GatewayPrincipal> = {}): GatewayPrincipal => ({ name: 'team-a', anonymous: false, allowsModel: () => true, ...extra });
  const creds = (p: GatewayPrincipal = principal()): RequestCredentials => ({ principal: p, providers: new Set(['anthropic', 'openai', 'openrouter']), credentialFor: () => undefined });
  const request = (model: string): ChatRequest => ({ format: 'anthropic', model, system: [], messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: false, maxOutputTokens: 100 });
  const refusal = async (p: Promise<unknown>): Promise<GatewayError> => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  };

  it('sends a newer vendor id to its provider, without catalog facts', async () => {
    const plan = await planRequest(planDeps(), request('claude-opus-4-7'), creds());
    expect(plan).toMatchObject({ routed: false, bucket: 'explicit' });
    expect(plan.targets).toEqual([{ id: 'anthropic/claude-opus-4-7', name: 'claude-opus-4-7', provider: 'anthropic', providerModel: 'claude-opus-4-7' }]);
    expect((await planRequest(planDeps('pass'), request('meta-llama/llama-4-maverick'), creds())).targets[0]).toMatchObject({ provider: 'openrouter', providerModel: 'meta-llama/llama-4-maverick' });
  });

  it('keeps refusing ids no provider can be read from, retired models, and every unlisted id with unlisted_models: refuse', async () => {
    expect((await refusal(planRequest(planDeps(), request('nonexistent-model-9'), creds()))).code).toBe('caller_model_not_found');
    expect((await refusal(planRequest(planDeps(), request('anthropic/claude-opus-4-1'), creds()))).code).toBe('caller_model_not_found');
    expect((await refusal(planRequest(planDeps(), request('claude-opus-4-1'), creds()))).code).toBe('caller_model_not_found');
    expect((await refusal(planRequest(planDeps('refuse'), request('claude-opus-4-7'), creds()))).code).toBe('caller_model_not_found');
    // A listed model is unaffected by the setting.
    expect((await planRequest(planDeps('refuse'), request('claude-sonnet-4-5'), creds())).targets[0]?.id).toBe('anthropic/claude-sonnet-4-5');
  });

  it('applies gateway keys: allow-lists see the provider id, a price cap cannot be checked without a price', async () => {
    const blocked = await refusal(planRequest(planDeps(), request('claude-opus-4-7'), creds(principal({ allowsModel: (id) => id.startsWith('openai/') }))));
    expect(blocked.code).toBe('policy_model_blocked');
    const capped = await refusal(planRequest(planDeps(), request('claude-opus-4-7'), creds(principal({ maxPriceUsdPerRequest: 1 }))));
    expect(capped.code).toBe('policy_model_blocked');
    expect(capped.message).toMatch(/no price for anthropic\/claude-opus-4-7/);
    expect((await planRequest(planDeps(), request('claude-sonnet-4-5'), creds(principal({ maxPriceUsdPerRequest: 1 })))).targets[0]?.id).toBe('anthropic/claude-sonnet-4-5');
    // A key with a USD budget: its spend on an unpriced model would count as $0.
    const withBudget: PlanDeps = { ...planDeps(), budgeted: (name) => name === 'team-a' };
    const budget = await refusal(planRequest(withBudget, request('claude-opus-4-7'), creds()));
    expect(budget.code).toBe('policy_model_blocked');
    expect(budget.message).toMatch(/cannot be charged to the budget of your gateway key \(team-a\)/);
    expect((await planRequest(withBudget, request('claude-opus-4-7'), creds(principal({ name: 'team-b' })))).targets[0]?.id).toBe('anthropic/claude-opus-4-7');
    expect((await planRequest(withBudget, request('claude-sonnet-4-5'), creds())).targets[0]?.id).toBe('anthropic/claude-sonnet-4-5');
  });
});
