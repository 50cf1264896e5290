"""The development set's metrics (shared/data/matching/README.md): nDCG@10, Recall@10 and MRR."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Figures:
    ndcg_at_10: float
    recall_at_10: float
    mrr: float
    needs: int

    def as_dict(self) -> dict:
        return {
            "nDCG@10": round(self.ndcg_at_10, 4),
            "Recall@10": round(self.recall_at_10, 4),
            "MRR": round(self.mrr, 4),
            "needs": self.needs,
        }


def evaluate(rankings: dict[str, list[str]], qrels: dict[str, dict[str, int]], k: int = 10) -> Figures:
    """`rankings`: need id → every offering id, best first. Needs without labels are not counted."""
    ndcgs, recalls, reciprocal_ranks = [], [], []
    for need, grades in qrels.items():
        ranking = rankings.get(need, [])
        dcg = sum(grades.get(offering, 0) / math.log2(rank + 1) for rank, offering in enumerate(ranking[:k], 1))
        ideal = sorted(grades.values(), reverse=True)[:k]
        idcg = sum(grade / math.log2(rank + 1) for rank, grade in enumerate(ideal, 1))
        ndcgs.append(dcg / idcg if idcg else 0.0)
        relevant = {offering for offering, grade in grades.items() if grade >= 1}
        recalls.append(len(relevant & set(ranking[:k])) / len(relevant) if relevant else 0.0)
        best = next((rank for rank, offering in enumerate(ranking, 1) if grades.get(offering, 0) >= 2), None)
        reciprocal_ranks.append(1 / best if best else 0.0)
    count = len(qrels) or 1
    return Figures(sum(ndcgs) / count, sum(recalls) / count, sum(reciprocal_ranks) / count, len(qrels))
