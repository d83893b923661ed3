export { GBDT_OBJECTIVES, OBJECTIVE_LINKS, type GbdtModel, type GbdtObjective, type ObjectiveLink } from './gbdt-model.js';
export { parseXGBoostModel, baseScoreToMargin } from './parse-xgboost-model.js';
export { predictMargin, predictGbdt, transformMargins } from './predict-gbdt.js';
export { assertFeatureSchema } from './assert-feature-schema.js';
