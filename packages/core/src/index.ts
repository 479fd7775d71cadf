export * from './errors/index.js';
export * from './fused/index.js';
export { randomNormalFast, setNormalFill, setNormalTarget, writtenTensor, LONG_DRAW, type NormalFill, type NormalTarget } from './random/fast-random-normal.js';
export { aleaState, aleaJump, aleaLanes, polarFill, polarSpan, type AleaState } from './random/alea.js';
export { createRegistry, type Registry, type RegisterOptions, type PluginValidator } from './registry/registry.js';
export { expectCreated, PRIOR_INSTANCE_SHAPE, CONTROLLER_INSTANCE_SHAPE } from './plugins/created-shapes.js';
export type { PluginBase, PluginKind, PluginKindMap, PluginOf } from './registry/plugin.js';
export type { MemberType, PluginShape } from './registry/plugin-shape.js';
export { CORE_KIND_SHAPES, defineCoreKinds } from './plugins/kind-shapes.js';
export { NATS_PER_BIT, natsToBits, bitsToNats, information, type Information } from './units/units.js';
export type { Distribution } from './distributions/distribution.js';
export type { PosteriorFamily, PriorContext, PriorEncoder, Prior, PriorPlugin } from './plugins/prior-plugin.js';
export type { RateObservation, RateController, ControllerPlugin, ControllerContext } from './plugins/controller-plugin.js';
export type { ByteCodedInputs, DataSplit, Dataset, DatasetLoadOptions, DatasetPlugin } from './plugins/dataset-plugin.js';
export { joinSplits } from './data/join-splits.js';
export { byteCodedSplit, copyInputRows, firstRows } from './data/byte-coded-split.js';
export { checkDataset, checkSplit, type SplitExpectation } from './data/check-dataset.js';
export type {} from './plugins/kinds.js';
export { DiagonalGaussian } from './distributions/diagonal-gaussian.js';
export { StandardNormal } from './distributions/standard-normal.js';
export { FullCovGaussian } from './distributions/full-cov-gaussian.js';
export { Uniform } from './distributions/uniform.js';
export { Laplace } from './distributions/laplace.js';
export { MixtureOfDiagonalGaussians } from './distributions/mixture-of-diagonal-gaussians.js';
export { EqualMixture } from './distributions/equal-mixture.js';
export { Categorical } from './distributions/categorical.js';
export { SquashedGaussian } from './distributions/squashed-gaussian.js';
export { PointMass } from './distributions/point-mass.js';
export {
  setDefaultValidateArgs,
  getDefaultValidateArgs,
  validateParameters,
  validateInterval,
  type DistributionOptions,
  type ParameterRule,
} from './distributions/validate-args.js';
export { createKLRegistry } from './kl/kl-registry.js';
export { klRegistryFor } from './kl/kl-registry-for.js';
export type { KLPlugin } from './plugins/kl-plugin.js';
export { typeNameChain } from './kl/resolve.js';
export {
  CORE_INSTANCES_KEY,
  coreInstanceCount,
  registerCoreInstance,
  type DuplicateCoreReporter,
} from './identity/core-instances.js';
export { registerDefaultKLs } from './kl/register-default-kls.js';
export { monteCarloKL } from './kl/monte-carlo-kl.js';
export { expectFiniteEstimate, negativeKLBound, NEGATIVE_KL_LOG_ODDS, NEGATIVE_KL_FLOOR_NATS } from './kl/finite-check.js';
export { densityOverrides } from './kl/inherited-rule-check.js';
export type {
  DistributionClass,
  DistributionRef,
  KLRegistry,
  KLRegistryOptions,
  KLRegisterOptions,
  KLOptions,
  KLResult,
  KLRule,
  KLRuleContext,
  KLRuleResult,
} from './kl/kl-types.js';
export type { ActivationMatrix } from './estimators/activations.js';
export { vibRate, vibRateNats } from './estimators/vib-rate.js';
export { labelEntropy } from './estimators/label-entropy.js';
export { izyLowerBound, type IzyLowerBoundInput } from './estimators/izy-lower-bound.js';
export type { BinRange } from './estimators/bin-range.js';
export { binningInformation, type BinningOptions, type BinningResult } from './estimators/binning.js';
export { mixtureEntropyBounds } from './estimators/mixture-entropy.js';
export {
  DEFAULT_KDE_NOISE_VARIANCE,
  kdeInformation,
  type KdeOptions,
  type KdeResult,
  type KdeSide,
} from './estimators/kde.js';
export { infoNceLowerBound, infoNceCeilingNats } from './estimators/infonce.js';
export { nwjLowerBound } from './estimators/nwj.js';
export { jsLowerBound, jsFganObjective } from './estimators/js.js';
export { dvLowerBound, createMineEstimator, type MineEstimator, type MineOptions } from './estimators/mine.js';
export type {
  EstimatorInput,
  EstimatorPlugin,
  ActivationEstimatorPlugin,
  ScoreEstimatorPlugin,
  ActivationEstimateInput,
  EstimateResult,
  CriticObjective,
} from './plugins/estimator-plugin.js';
export { binningEstimator, binningConfigSchema, type BinningEstimatorConfig } from './estimators/plugins/binning-estimator.js';
export {
  kdeUpperEstimator,
  kdeLowerEstimator,
  kdeConfigSchema,
  type KdeEstimatorConfig,
} from './estimators/plugins/kde-estimators.js';
export {
  infoNceEstimator,
  nwjEstimator,
  jsEstimator,
  mineEstimator,
  mineConfigSchema,
  criticBoundConfigSchema,
  type CriticBoundConfig,
  type MineEstimatorConfig,
} from './estimators/plugins/critic-estimators.js';
export { registerEstimators, builtInEstimators } from './estimators/plugins/register-estimators.js';
export { estimateInformation } from './estimators/plugins/estimate-information.js';
export { estimateWithCritic, type CriticEstimate, type CriticOptions, type PairedSamples } from './estimators/critic-training.js';
export type { LatentArray } from './interpolation/latent-code.js';
export { linearInterpolate } from './interpolation/linear.js';
export { sphericalInterpolate } from './interpolation/spherical.js';
export { slerp, SLERP_PARALLEL_EPSILON } from './interpolation/slerp.js';
export { interpolationPath, MAX_INTERPOLATION_STEPS, type InterpolationKind } from './interpolation/path.js';
export { parsePluginConfig } from './config/parse-plugin-config.js';
export { parseWithPath } from './config/parse-with-path.js';
export { resolvePluginRef, type ResolvedPluginRef } from './config/resolve-plugin-ref.js';
export { nearestKey, unknownKeyMessage, validKeysAt } from './config/unknown-key.js';
export {
  pluginRefSchema,
  posteriorFamilySchema,
  type PluginRefConfig,
  type PluginRefInput,
} from './config/plugin-ref.js';
export { showValue, valueAt } from './config/config-value.js';
export { SeededRandom, stepSeed, mulberry32, seededPermutation } from './random/seeded-random.js';
export { tfSeed } from './random/tf-seed.js';
export type { Attack, AttackLoss, AttackOptions, AttackPlugin } from './plugins/attack-plugin.js';
export { fgsmAttack } from './attacks/fgsm.js';
export { pgdAttack, pgdL2Attack, pgdConfigSchema, type PgdConfig } from './attacks/pgd.js';
export { registerAttacks, builtInAttacks } from './attacks/register-attacks.js';
export { inputGradient, checkEpsilon, clipToBounds, projectToBall, exampleNorm } from './attacks/attack-steps.js';
export { registerCore } from './register.js';
export { auroc, aupr } from './metrics/ood-metrics.js';
export { calibration, type CalibrationResult, type ReliabilityBin } from './metrics/calibration.js';
export { pairedTTest, regularizedBeta, type PairedTTest } from './metrics/paired-t.js';
export { averageTrajectories, type SeedPlanePoint, type AveragedPlanePoint } from './metrics/seed-average.js';
export { histogram, quantile, type Histogram } from './metrics/histogram.js';
export { importanceWeightedBound, type ImportanceWeightedBound } from './estimators/importance-weighted.js';
