// Shared by the frame benchmarks (bench-frames.mjs, probe-frames.mjs).

/**
 * Self CPU time (µs) by trace event name over `events` (complete events of one thread): each
 * event's CPU time less that of the events nested in it (Paint nests Paint, RunTask nests all).
 */
export function selfTime(events) {
  const sorted = events.filter((e) => e.ph === 'X' && e.tdur !== undefined).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = {};
  const open = [];
  for (const e of sorted) {
    while (open.length && open.at(-1).ts + open.at(-1).dur <= e.ts) open.pop();
    if (open.length) self[open.at(-1).name] = (self[open.at(-1).name] || 0) - e.tdur;
    self[e.name] = (self[e.name] || 0) + e.tdur;
    open.push(e);
  }
  return self;
}
