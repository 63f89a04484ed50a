"""企业挂链 intake: from the enterprise lists staff have to placed firms.

``propose`` reads lists (:mod:`.columns`), matches them to the dataset (:mod:`.identity`),
ranks segments with a model learned from the placed firms (:mod:`.ranker`, evidence from
:mod:`.evidence`, rules in :mod:`.propose`) and writes a review workbook (:mod:`.review`);
``apply`` writes the filled workbook back into a dataset (:mod:`.apply`, through the
decisions of :mod:`.learning` that the browser review uses too). See docs/intake.md.
"""

from .apply import ApplyResult, apply_review, write_checked
from .learning import Decision, apply_decisions, order_for_review, review_priority
from .propose import IntakeResult, Proposer, propose
from .ranker import Ranker, Thresholds, choose_thresholds
from .review import write_review

__all__ = ["ApplyResult", "Decision", "IntakeResult", "Proposer", "Ranker", "Thresholds", "apply_decisions",
           "apply_review", "choose_thresholds", "order_for_review", "propose", "review_priority", "write_checked",
           "write_review"]
