export type FlagToggle = 'on' | 'off';

export interface FlagEnvironmentState {
  state: FlagToggle;
  /** 0–100: share of users (by Unleash-compatible bucketing) who see the flag on */
  percentage: number;
}
