/**
 * How big the fault-injection scenarios are. `CHAOS_PROFILE=quick` (npm run test:chaos:quick)
 * scales every scenario down for CI; anything else runs the full profile.
 */
export type ChaosProfileName = 'full' | 'quick';

export const CHAOS_PROFILE: ChaosProfileName = process.env.CHAOS_PROFILE === 'quick' ? 'quick' : 'full';

/** Picks the full-profile or the quick-profile value of a knob. */
export function scaled<T>(full: T, quick: T): T {
  return CHAOS_PROFILE === 'quick' ? quick : full;
}
