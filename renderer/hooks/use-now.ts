import { useEffect, useState } from 'react';

/**
 * The time, again every `intervalMs`: for what goes stale without an event (a rate falls to
 * zero when no counters come, "heard 5 s ago" grows).
 */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
