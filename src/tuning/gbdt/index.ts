export { trainGbdt, type GbdtDataset, type GbdtValidationSet, type GbdtTrainOptions, type GbdtTrainObjective } from './train-gbdt.js';
export { logLoss, rmse, predictDataset } from './gbdt-metrics.js';
export { serializeXGBoostModel, formatFloat32, type XGBoostModelJson, type XGBoostTreeJson } from './xgboost-model-json.js';
export { buildHistogramCuts, binMatrix, type HistogramCuts, type BinnedMatrix } from './histogram-cuts.js';
