// The bot's clock on Node: real time plus an offset kept in a SharedArrayBuffer, so the HTTP thread,
// a worker thread (given the buffer through workerData) and the scheduler all read the same time.
// The playground moves it; everywhere else the offset stays 0.

export interface SharedClock {
  now: () => Date;
  offsetMs(): number;
  setOffsetMs(ms: number): void;
  buffer: SharedArrayBuffer;
}

export function createSharedClock(buffer: SharedArrayBuffer = new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT)): SharedClock {
  // Float64 reads and writes are not atomic, but one writer (the playground) and a value that only
  // changes on a click make a torn read practically impossible; Atomics has no Float64 view.
  const offset = new Float64Array(buffer, 0, 1);
  return {
    now: () => new Date(Date.now() + offset[0]!),
    offsetMs: () => offset[0]!,
    setOffsetMs(ms: number) {
      if (!Number.isFinite(ms)) throw new RangeError(`clock offset must be a finite number of ms, got ${ms}`);
      offset[0] = ms;
    },
    buffer,
  };
}
