// Recurring problems by meaning (高频问题): tickets grouped by similar text, each group named by its most
// typical title (the one closest to the group's centre), largest first, with the previous period's count.
import { idfOf, terms, weigh, type Features } from "./similarity.js";

export interface ProblemText {
  number: string;
  title: string;
  text: string;
}

export interface RecurringGroup {
  /** The most typical title of the group. */
  title: string;
  count: number;
  /** Tickets of the previous period that fall into this group. */
  previous: number;
  /** Its members, newest first as given. */
  numbers: string[];
}

interface Cluster {
  centre: Map<string, number>;
  /** Squared length of the centre, kept as members join (recomputing it per comparison cost O(centre)). */
  norm2: number;
  members: { t: ProblemText; v: Features }[];
  previous: number;
}

function add(c: Pick<Cluster, "centre" | "norm2">, v: Features): void {
  for (const [k, x] of v) {
    const old = c.centre.get(k) ?? 0;
    c.centre.set(k, old + x);
    c.norm2 += (old + x) * (old + x) - old * old;
  }
}

/** Cosine to a cluster's (unnormalised) centre. */
function toCentre(v: Features, c: Pick<Cluster, "centre" | "norm2">): number {
  if (!(c.norm2 > 0)) return 0;
  let dot = 0;
  for (const [k, x] of v) dot += x * (c.centre.get(k) ?? 0);
  return dot / Math.sqrt(c.norm2);
}

/**
 * Single pass: each ticket joins the most similar group when its text is at least `threshold` close to
 * the group's centre, else starts one. The IDF is taken over both periods, so words every ticket uses
 * (系统, 客户) do not pull different problems together.
 */
export function recurringProblems(current: readonly ProblemText[], previous: readonly ProblemText[], threshold: number, limit = 3): RecurringGroup[] {
  const all = [...current, ...previous].map((t) => terms(`${t.title}\n${t.text}`));
  const idf = idfOf(all);
  const vec = (i: number) => weigh(all[i]!, idf);
  const clusters: Cluster[] = [];
  const best = (v: Features) => {
    let at = -1;
    let score = threshold;
    clusters.forEach((c, i) => {
      const s = toCentre(v, c);
      if (s >= score) [at, score] = [i, s];
    });
    return at;
  };
  current.forEach((t, i) => {
    const v = vec(i);
    if (!v.size) return;
    const at = best(v);
    if (at >= 0) {
      clusters[at]!.members.push({ t, v });
      add(clusters[at]!, v);
    } else {
      const c: Cluster = { centre: new Map(), norm2: 0, members: [{ t, v }], previous: 0 };
      add(c, v);
      clusters.push(c);
    }
  });
  previous.forEach((_, j) => {
    const at = best(vec(current.length + j));
    if (at >= 0) clusters[at]!.previous++;
  });
  return clusters
    .sort((a, b) => b.members.length - a.members.length || b.previous - a.previous)
    .slice(0, limit)
    .map((c) => {
      const typical = c.members.reduce((x, y) => (toCentre(y.v, c) > toCentre(x.v, c) ? y : x));
      return { title: typical.t.title, count: c.members.length, previous: c.previous, numbers: c.members.map((m) => m.t.number) };
    });
}
