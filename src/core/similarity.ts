// Text similarity for duplicate detection and recurring-problem grouping, on Chinese without a segmenter:
// character bigrams (plus whole Latin/digit words) weighted by TF-IDF, compared by cosine.
// Hand-written: the npm TF-IDF / MinHash packages split on spaces (useless for Chinese) or pull in a
// dictionary segmenter (megabytes, Node-only); this is ~100 lines and runs unchanged on the Worker.

/** A text's weighted features: term → weight (TF-IDF applied by `weigh`). */
export type Features = ReadonlyMap<string, number>;

/** Words every feedback message shares; they say nothing about which problem it is. */
const STOP_BIGRAMS = new Set([
  "客户", "户说", "户反", "反馈", "馈说", "问题", "一下", "帮忙", "麻烦", "这个", "那个", "我们", "他们", "你们",
  "现在", "还是", "就是", "已经", "一个", "没有", "怎么", "什么", "可以", "能不", "不能", "是不", "不是", "请问",
  "谢谢", "今天", "昨天", "刚才", "一直", "出现", "的时", "时候", "了一", "说他", "说我", "户那", "那边", "这边",
]);

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const TICKET_NO = /#?[A-Za-z]{1,6}\d{11,}/g;

/** Each term of a text in order: bigrams of each CJK run (a lone character is noise), Latin/digit words whole. */
export function eachTerm(text: string, add: (term: string) => void): void {
  const norm = text.normalize("NFKC").toLowerCase().replace(TICKET_NO, " ");
  // Runs of CJK characters, or of Latin letters / digits; everything else separates.
  for (const run of norm.match(/[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:[.\-_][a-z0-9]+)*/g) ?? []) {
    if (!CJK.test(run[0]!)) {
      if (run.length > 1 || /\d/.test(run)) add(run);
      continue;
    }
    if (run.length === 1) continue; // a single character (的, 了, 说) is noise
    for (let i = 0; i + 1 < run.length; i++) {
      const bg = run.slice(i, i + 2);
      if (!STOP_BIGRAMS.has(bg)) add(bg);
    }
  }
}

/** Term counts of a text (see `eachTerm`). */
export function terms(text: string): Map<string, number> {
  const out = new Map<string, number>();
  eachTerm(text, (t) => out.set(t, (out.get(t) ?? 0) + 1));
  return out;
}

/** Smoothed inverse document frequency: a term in every document still counts. */
export const idfWeight = (docs: number, df: number): number => Math.log((docs + 1) / (df + 1)) + 1;
/** Sublinear term frequency. */
export const tfWeight = (count: number): number => 1 + Math.log(count);

/** Inverse document frequency over a set of documents (smoothed: a term in every document still counts). */
export interface Idf {
  readonly docs: number;
  weight(term: string): number;
}

export function idfOf(docs: Iterable<ReadonlyMap<string, number>>): Idf {
  const df = new Map<string, number>();
  let n = 0;
  for (const d of docs) {
    n++;
    for (const t of d.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  }
  return { docs: n, weight: (t) => idfWeight(n, df.get(t) ?? 0) };
}

/** TF-IDF with sublinear term frequency, L2-normalised so a dot product is the cosine. */
export function weigh(counts: ReadonlyMap<string, number>, idf: Idf): Features {
  const w = new Map<string, number>();
  let norm = 0;
  for (const [t, c] of counts) {
    const v = tfWeight(c) * idf.weight(t);
    w.set(t, v);
    norm += v * v;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [t, v] of w) w.set(t, v / norm);
  return w;
}

/** Cosine of two normalised feature vectors, 0…1. */
export function cosine(a: Features, b: Features): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, v] of small) {
    const u = large.get(t);
    if (u !== undefined) dot += v * u;
  }
  return Math.min(1, dot);
}

export interface SimilarCandidate<K> {
  key: K;
  text: string;
}

export interface SimilarMatch<K> {
  key: K;
  score: number;
}

/**
 * Candidates at or above the threshold, best first. The IDF comes from the candidates and the query
 * together plus an optional background corpus (what a group's other tickets say), so words all of them
 * share weigh less.
 */
export function mostSimilar<K>(query: string, candidates: readonly SimilarCandidate<K>[], threshold: number, background: Iterable<ReadonlyMap<string, number>> = []): SimilarMatch<K>[] {
  const q = terms(query);
  if (!q.size || !candidates.length) return [];
  const counts = candidates.map((c) => terms(c.text));
  const idf = idfOf([q, ...counts, ...background]);
  const qv = weigh(q, idf);
  return candidates
    .map((c, i) => ({ key: c.key, score: cosine(qv, weigh(counts[i]!, idf)) }))
    .filter((m) => m.score >= threshold)
    .sort((a, b) => b.score - a.score);
}

/** Pairwise similarity of two texts against a corpus's IDF (the evaluation and the grouping use this). */
export function similarityIn(idf: Idf, a: string, b: string): number {
  return cosine(weigh(terms(a), idf), weigh(terms(b), idf));
}
