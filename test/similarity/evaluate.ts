// Precision and recall of the duplicate check on the labelled pairs, at a threshold.
import { idfOf, similarityIn, terms } from "../../src/core/similarity.js";
import { CORPUS, PAIRS, type LabelledPair } from "./pairs.js";

export interface Scored extends LabelledPair {
  score: number;
}

export interface Evaluation {
  threshold: number;
  precision: number;
  recall: number;
  truePositives: number;
  falsePositives: Scored[];
  falseNegatives: Scored[];
}

/** Every pair scored against the whole set as background (like a group's recent tickets in production). */
export function scorePairs(pairs: readonly LabelledPair[] = PAIRS): Scored[] {
  const idf = idfOf(CORPUS.map(terms));
  return pairs.map((p) => ({ ...p, score: similarityIn(idf, p.a, p.b) }));
}

export function evaluate(threshold: number, scored: Scored[] = scorePairs()): Evaluation {
  const flagged = scored.filter((s) => s.score >= threshold);
  const tp = flagged.filter((s) => s.dup).length;
  const dups = scored.filter((s) => s.dup).length;
  return {
    threshold,
    precision: flagged.length ? tp / flagged.length : 1,
    recall: dups ? tp / dups : 1,
    truePositives: tp,
    falsePositives: flagged.filter((s) => !s.dup),
    falseNegatives: scored.filter((s) => s.dup && s.score < threshold),
  };
}
