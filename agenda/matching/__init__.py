"""Which occurrences from different sources are one real event (pure: candidates in, pairs out).

``find_matches`` blocks the candidates by day and place and scores the pairs; a pair scoring
``AUTO_MERGE`` or more may be merged without a person, one scoring ``REVIEW`` or more goes to the
staff's review queue, the others stay apart.  See :mod:`agenda.matching.score` for what counts.
"""

from agenda.matching.candidate import Candidate, Match
from agenda.matching.finder import find_matches
from agenda.matching.score import AUTO_MERGE, REVIEW, score_pair

__all__ = ["AUTO_MERGE", "REVIEW", "Candidate", "Match", "find_matches", "score_pair"]
