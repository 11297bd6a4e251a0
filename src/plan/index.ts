/**
 * The planner's pure API (issue 14), the one module the UI loads lazily (`await import('../plan/index.ts')`): grid
 * expansion, the answer, bands, rows, CSV. No simulator code: replicas run in src/sim/planReplica.ts (CPU), through
 * the worker's `runReplicas`, or in lockstep on a GPU (src/engine/lockstep/).
 */
export { expandPlan, gridReplicas, planSize, replicaScenario, scaledScenario, scaleDemand, scaledCount, scalePoints, PlanError, type KnobSetting, type PlanAxes, type PlanGrid, type PlanReplica, type ScalePoint } from './grid.ts';
export { band, BASELINE_PROFILE, planAnswer, planCells, savingWords, scaleBands, scalesSmallestFirst, seriesBands, t95, type Band, type BandMetric, type CellStatus, type PlanAnswer, type PlanCell, type ScaleBand, type SeriesBand } from './answer.ts';
export { canonicalText, CSV_COLUMNS, csvCell, missedTargets, PLAN_SERIES_METRICS, planCsv, rowDigest, TARGET_KEYS, type PlanMetrics, type PlanRow, type PlanSeries, type PlanSeriesMetric, type TargetKey } from './rows.ts';
export { DEFAULT_SERIES_POINTS, downsampleSeries, planRowOf, type SeriesSample } from './replicaRow.ts';
export { DEFAULT_CONFIDENCE_PCT, DEFAULT_PLAN_CAP, MAX_PLAN_CAP, planScaleFactors, planSeeds, rangeValues } from '../scenario/planSpec.ts';
export { expandPaperGrid, MAX_PAPER_REPLAYS, PAPER_POLICIES, paperBands, paperRowOf, type PaperBand, type PaperReplay, type PaperReplayResult, type PaperRow } from './paperGrid.ts';
