// Acknowledgements first. SQLite has one write lock and hands it to no one in particular, so a busy
// processing worker — write after write — can keep the HTTP thread's inbox insert (inbox.ts) retrying for
// hundreds of milliseconds while a platform waits for its answer. The inbox counts its waiting inserts in
// a shared word; before the worker takes the lock (a write outside a transaction, or BEGIN) it gives way
// for a moment while that count is above zero. Inside a transaction it never waits: it holds the lock.

/** The longest the worker gives way before one write (it is never starved either). */
const GIVE_WAY_MS = 20;

export interface AckPriority {
  /** HTTP thread: an insert is waiting for the lock, until `done`. */
  waiting(): () => void;
  /** Worker: before taking the write lock. */
  giveWay(): void;
}

export function ackPriority(buffer: SharedArrayBuffer): AckPriority {
  const word = new Int32Array(buffer);
  return {
    waiting() {
      Atomics.add(word, 0, 1);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        Atomics.sub(word, 0, 1);
        Atomics.notify(word, 0);
      };
    },
    giveWay() {
      const until = performance.now() + GIVE_WAY_MS;
      for (let n = Atomics.load(word, 0); n > 0; n = Atomics.load(word, 0)) {
        const left = until - performance.now();
        if (left <= 0) return;
        Atomics.wait(word, 0, n, Math.min(left, 2));
      }
    },
  };
}

export const ackPriorityBuffer = () => new SharedArrayBuffer(4);
