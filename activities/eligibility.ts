import type { ConsumerRow } from '../db/consumers.js';
import type { ErrorCode } from '../db/schema.js';

/** Oldest Mobile SDKs that support proactive and IVR messaging (the product brief). */
export const MIN_SDK: Record<'ios' | 'android', [number, number]> = { ios: [6, 2], android: [4, 7] };

export function sdkSupported(platform: 'ios' | 'android', version: string): boolean {
  const m = /^(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2] ?? 0)];
  const [minMajor, minMinor] = MIN_SDK[platform];
  return major > minMajor || (major === minMajor && minor >= minMinor);
}

export interface PushPolicy {
  loggedIn: boolean;
  loggedOut: boolean;
}

/**
 * Every reason the consumer cannot get this push, most fundamental first (a campaign records the
 * first; IVR eligibility lists all). The open-conversation check is separate: IVR eligibility must
 * not look at it.
 */
export function ineligibility(consumer: ConsumerRow | undefined, policy: PushPolicy): ErrorCode[] {
  if (!consumer) return ['CONSUMER_NOT_REGISTERED'];
  const reasons: ErrorCode[] = [];
  if (!sdkSupported(consumer.platform, consumer.sdkVersion)) reasons.push('SDK_VERSION_UNSUPPORTED');
  if (!consumer.pushToken) reasons.push('NO_PUSH_TOKEN');
  if (!consumer.loggedIn && !policy.loggedOut) reasons.push('CONSUMER_LOGGED_OUT');
  if (consumer.loggedIn && !policy.loggedIn) reasons.push('CONSUMER_LOGGED_IN');
  return reasons;
}
