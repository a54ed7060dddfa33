/** Nova models dualnova knows by name. Other ids still work; they just have no friendly name. */
export type NovaSize = 'micro' | 'lite' | 'pro' | 'premier';

export interface CatalogueEntry {
  size: NovaSize;
  baseModelId: string;
  displayName: string;
}

export const NOVA_MODELS: readonly CatalogueEntry[] = Object.freeze([
  { size: 'micro', baseModelId: 'amazon.nova-micro-v1:0', displayName: 'Amazon Nova Micro' },
  { size: 'lite', baseModelId: 'amazon.nova-lite-v1:0', displayName: 'Amazon Nova Lite' },
  { size: 'pro', baseModelId: 'amazon.nova-pro-v1:0', displayName: 'Amazon Nova Pro' },
  { size: 'premier', baseModelId: 'amazon.nova-premier-v1:0', displayName: 'Amazon Nova Premier' },
]);

/** Geography prefixes of system-defined cross-region inference profiles. */
export const PROFILE_PREFIXES = ['us', 'eu', 'apac'] as const;
export type ProfileGeography = (typeof PROFILE_PREFIXES)[number];

const PROFILE_ID = /^(us|eu|apac|us-gov|global)\.(.+)$/;
const PROFILE_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*:\d*:(?:application-|)inference-profile\/(.+)$/;
const FOUNDATION_MODEL_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*::foundation-model\/(.+)$/;

/** True for `us.amazon.nova-pro-v1:0`-style ids and inference-profile ARNs. */
export function isInferenceProfileId(id: string): boolean {
  return PROFILE_ID.test(id) || PROFILE_ARN.test(id);
}

/**
 * The foundation-model id behind an id that may be a profile id or an ARN:
 * `us.amazon.nova-pro-v1:0` → `amazon.nova-pro-v1:0`. Unknown shapes come back unchanged.
 */
export function baseModelId(id: string): string {
  const arnProfile = PROFILE_ARN.exec(id);
  const candidate = arnProfile?.[1] ?? FOUNDATION_MODEL_ARN.exec(id)?.[1] ?? id;
  return PROFILE_ID.exec(candidate)?.[2] ?? candidate;
}

export function findModel(id: string): CatalogueEntry | undefined {
  const base = baseModelId(id);
  return NOVA_MODELS.find((entry) => entry.baseModelId === base);
}

/** A person-readable name: "Amazon Nova Pro (us profile)", or the id itself when unknown. */
export function displayName(id: string): string {
  const entry = findModel(id);
  if (!entry) return id;
  const geography = PROFILE_ID.exec(id)?.[1];
  return geography ? `${entry.displayName} (${geography} profile)` : entry.displayName;
}

/** The profile geography serving a region, or undefined for regions without a known profile. */
export function geographyForRegion(region: string): ProfileGeography | undefined {
  if (region.startsWith('us-')) return 'us';
  if (region.startsWith('eu-')) return 'eu';
  if (region.startsWith('ap-')) return 'apac';
  return undefined;
}

/**
 * The cross-region profile id to invoke instead of a base id, e.g.
 * (`amazon.nova-pro-v1:0`, `eu-west-1`) → `eu.amazon.nova-pro-v1:0`. Falls back to `us.` when the
 * region's geography is unknown, since that is where every Nova model has a profile.
 */
export function inferenceProfileFor(id: string, region: string | undefined): string {
  const geography = (region ? geographyForRegion(region) : undefined) ?? 'us';
  return `${geography}.${baseModelId(id)}`;
}
