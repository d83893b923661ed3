import { isProviderId, type ProviderId } from '../types/provider-id.js';

/** A provider model named by the client, which the catalog does not list. */
export interface InferredProviderModel {
  readonly provider: ProviderId;
  readonly providerModel: string;
}

/** What a model id may look like: providers' ids use these characters, and none is this long. */
const SANE_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,199}$/;
const ANTHROPIC = /^claude-/;
const OPENAI = /^(?:gpt-|chatgpt-|codex-|o\d(?:-|$))/;
const GEMINI = /^gemini-/;

/**
 * The provider that serves a model id the catalog does not list, read from how the id is spelled:
 * `provider/model` names it (`anthropic/claude-opus-4-7`); a vendor's own naming implies it
 * (`claude-*` Anthropic, `gpt-*`, `o3-*`, `codex-*` OpenAI, `gemini-*` Gemini); any other
 * `vendor/model` is OpenRouter's naming. Undefined when nothing says which provider it is.
 *
 * A gateway whose catalog is older than a provider's newest model would otherwise refuse it: Claude
 * Code and the SDKs send the vendor's current ids, and `heimdall catalog refresh` adds only models
 * the provider's list prices (Anthropic's and OpenAI's lists carry no prices).
 */
export function inferProviderModel(model: string): InferredProviderModel | undefined {
  if (!SANE_ID.test(model) || model.endsWith('/') || model.includes('//')) return undefined;
  const slash = model.indexOf('/');
  if (slash > 0) {
    const prefix = model.slice(0, slash);
    if (isProviderId(prefix)) return { provider: prefix, providerModel: model.slice(slash + 1) };
    return { provider: 'openrouter', providerModel: model };
  }
  if (ANTHROPIC.test(model)) return { provider: 'anthropic', providerModel: model };
  if (OPENAI.test(model)) return { provider: 'openai', providerModel: model };
  if (GEMINI.test(model)) return { provider: 'gemini', providerModel: model };
  return undefined;
}
