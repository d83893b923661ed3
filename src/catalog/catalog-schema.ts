import { z } from 'zod';
import { PROVIDER_IDS } from '../types/provider-id.js';

const price = z.number().min(0);
const tokens = z.int().min(1);

const reasoningSchema = z
  .strictObject({
    kind: z.enum(['none', 'effort', 'budget']),
    efforts: z.array(z.enum(['minimal', 'low', 'medium', 'high'])).min(1).optional(),
    min_budget: z.int().min(0).optional(),
    max_budget: z.int().min(1).optional(),
    budget_can_disable: z.boolean().optional(),
  })
  .superRefine((reasoning, ctx) => {
    const hasBudget = reasoning.min_budget !== undefined || reasoning.max_budget !== undefined || reasoning.budget_can_disable !== undefined;
    if (reasoning.kind === 'effort' && reasoning.efforts === undefined) ctx.addIssue({ code: 'custom', path: ['efforts'], message: 'required when kind is "effort"' });
    if (reasoning.kind !== 'effort' && reasoning.efforts !== undefined) ctx.addIssue({ code: 'custom', path: ['efforts'], message: 'only allowed when kind is "effort"' });
    if (reasoning.kind === 'budget') {
      for (const key of ['min_budget', 'max_budget', 'budget_can_disable'] as const) {
        if (reasoning[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'required when kind is "budget"' });
      }
      if (reasoning.min_budget !== undefined && reasoning.max_budget !== undefined && reasoning.min_budget > reasoning.max_budget) {
        ctx.addIssue({ code: 'custom', path: ['min_budget'], message: 'must not exceed max_budget' });
      }
    } else if (hasBudget) {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: 'budget fields are only allowed when kind is "budget"' });
    }
  });

/** One model entry of `data/catalog/models.json` (snake_case, as stored). */
export const catalogModelSchema = z
  .strictObject({
    id: z.string().min(3),
    provider: z.enum(PROVIDER_IDS),
    provider_model_id: z.string().min(1),
    provider_model_aliases: z.array(z.string().min(1)).optional(),
    display_name: z.string().min(1),
    status: z.enum(['active', 'deprecated', 'retired']).default('active'),
    /** Why the status is what it is, with the date it was checked. */
    status_note: z.string().optional(),
    input_per_mtok: price,
    output_per_mtok: price,
    cached_input_per_mtok: price.optional(),
    long_context: z
      .strictObject({ above_input_tokens: tokens, input_per_mtok: price, output_per_mtok: price, cached_input_per_mtok: price.optional() })
      .optional(),
    context_window_tokens: tokens,
    max_output_tokens: tokens,
    capabilities: z.strictObject({ tools: z.boolean(), vision: z.boolean(), streaming: z.boolean(), json_mode: z.boolean() }),
    reasoning: reasoningSchema,
  })
  .superRefine((model, ctx) => {
    if (!model.id.startsWith(`${model.provider}/`)) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: `must start with the provider prefix "${model.provider}/"` });
    }
    if (model.max_output_tokens > model.context_window_tokens) {
      ctx.addIssue({ code: 'custom', path: ['max_output_tokens'], message: 'must not exceed context_window_tokens' });
    }
    if (model.long_context !== undefined && model.long_context.above_input_tokens >= model.context_window_tokens) {
      ctx.addIssue({ code: 'custom', path: ['long_context', 'above_input_tokens'], message: 'must be below context_window_tokens' });
    }
  });

/** The catalog file. `sources` says where each provider's figures came from. */
export const catalogFileSchema = z.strictObject({
  schema_version: z.literal(1),
  snapshot_date: z.iso.date(),
  currency: z.literal('USD'),
  sources: z.record(z.string(), z.string().min(1)),
  models: z.array(catalogModelSchema).min(1),
});

export type CatalogFile = z.output<typeof catalogFileSchema>;
export type CatalogModelEntry = z.output<typeof catalogModelSchema>;
