import { DEFAULT_ROLLOUT_DAYS, type RolloutClock } from '../../../common/api/comp-rollout.ts';
import { addDays, daysBetween } from '../../../common/dates.ts';

/**
 * The rollout clock, as pure functions of dates. Day 1 is the start day; the deadline is the last
 * day to acknowledge (Day 30 of 30 by default); a recipient is overdue from the day after it.
 */

/** The default deadline of a rollout starting on a day: Day 30, counting the start day as Day 1. */
export function defaultDeadline(startedOn: string, days = DEFAULT_ROLLOUT_DAYS): string {
  return addDays(startedOn, days - 1);
}

/** How many days a rollout gives (start day and deadline included). */
export function rolloutLength(startedOn: string, deadlineOn: string): number {
  return daysBetween(startedOn, deadlineOn) + 1;
}

export function rolloutClock(startedOn: string, deadlineOn: string, today: string): RolloutClock {
  const daysLeft = daysBetween(today, deadlineOn);
  return {
    today,
    day: Math.max(1, daysBetween(startedOn, today) + 1),
    totalDays: rolloutLength(startedOn, deadlineOn),
    daysLeft,
    deadlineOn,
    pastDeadline: daysLeft < 0,
  };
}

/** A participant added after the start gets as many days as the rollout gave everyone, and never less than its deadline. */
export function joinerDueOn(rollout: { startedOn: string; deadlineOn: string }, joinedOn: string): string {
  const own = addDays(joinedOn, rolloutLength(rollout.startedOn, rollout.deadlineOn) - 1);
  return own > rollout.deadlineOn ? own : rollout.deadlineOn;
}

export function isOverdue(r: { status: string; dueOn: string }, today: string): boolean {
  return r.status !== 'acknowledged' && today > r.dueOn;
}
