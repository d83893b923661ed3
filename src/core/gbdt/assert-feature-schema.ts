import { GatewayError } from '../../errors/gateway-error.js';
import type { GbdtModel } from './gbdt-model.js';

/**
 * Checks at load time that the feature vector the caller will build is the one the model was
 * trained on: same count, and (when the model carries names) the same names in the same order.
 * A mismatch would silently misroute every request, so it is a `routing_artifact_invalid` error
 * naming the first difference.
 */
export function assertFeatureSchema(model: GbdtModel, names: readonly string[]): void {
  const modelNames = model.featureNames;
  if (modelNames !== null) {
    const shared = Math.min(modelNames.length, names.length);
    for (let i = 0; i < shared; i++) {
      if (modelNames[i] !== names[i]) {
        throw new GatewayError(
          'routing_artifact_invalid',
          `gbdt.learner.feature_names[${i}]: model has ${JSON.stringify(modelNames[i])}, the feature extractor has ${JSON.stringify(names[i])}`,
        );
      }
    }
  }
  if (model.numFeature !== names.length) {
    const detail =
      modelNames !== null && names.length > model.numFeature
        ? `; first extra feature is ${JSON.stringify(names[model.numFeature])}`
        : modelNames !== null && names.length < model.numFeature
          ? `; first missing feature is ${JSON.stringify(modelNames[names.length])}`
          : '';
    throw new GatewayError(
      'routing_artifact_invalid',
      `gbdt.learner.learner_model_param.num_feature: model has ${model.numFeature} features, the feature extractor has ${names.length}${detail}`,
    );
  }
}
