// The bot's clock on Node: real time plus an offset kept in a SharedArrayBuffer, so the HTTP thread,
// a worker thread (given the buffer through workerData) and the scheduler all read the same time.
// The playground moves it; everywhere else the offset stays 0. Tests may pin it to an instant (the
// second slot; NaN: not pinned), which a worker thread reads too.

export interface SharedClock {
  now: () => Date;
  offsetMs(): number;
  setOffsetMs(ms: number): void;
  /** Stop the clock at `at` (tests); undefined lets it run again. */
  pin(at: Date | undefined): void;
  buffer: SharedArrayBuffer;
}

export function createSharedClock(buffer: SharedArrayBuffer = newClockBuffer()): SharedClock {
  // Float64 reads and writes are not atomic, but one writer (the playground) and a value that only
  // changes on a click make a torn read practically impossible; Atomics has no Float64 view.
  const offset = new Float64Array(buffer, 0, 1);
  const pinned = new Float64Array(buffer, Float64Array.BYTES_PER_ELEMENT, 1);
  return {
    now: () => new Date(Number.isNaN(pinned[0]!) ? Date.now() + offset[0]! : pinned[0]!),
    offsetMs: () => offset[0]!,
    setOffsetMs(ms: number) {
      if (!Number.isFinite(ms)) throw new RangeError(`clock offset must be a finite number of ms, got ${ms}`);
      offset[0] = ms;
    },
    pin(at) {
      pinned[0] = at ? at.getTime() : Number.NaN;
    },
    buffer,
  };
}

function newClockBuffer(): SharedArrayBuffer {
  const b = new SharedArrayBuffer(2 * Float64Array.BYTES_PER_ELEMENT);
  new Float64Array(b)[1] = Number.NaN;
  return b;
}
