"""企业挂链 intake: from the enterprise lists staff have to placed firms.

``propose`` reads lists (:mod:`.columns`), matches them to the dataset (:mod:`.identity`),
scores segments from terms, industry codes and similar placed firms (:mod:`.evidence`,
:mod:`.propose`) and writes a review workbook (:mod:`.review`); ``apply`` writes the filled
workbook back into a dataset (:mod:`.apply`). See docs/intake.md.
"""

from .apply import ApplyResult, apply_review, write_checked
from .propose import IntakeResult, Proposer, Thresholds, propose
from .review import write_review

__all__ = ["ApplyResult", "IntakeResult", "Proposer", "Thresholds", "apply_review", "propose", "write_checked",
           "write_review"]
