"""Hand-raising (举手表决) as a real vote, and scoring ballots (打分).

A :class:`Vote` asks the residents of one scope (a residential area, a grid …) a
question.  Who may raise a hand comes from the electoral :class:`Roll` and the
governance graph: verified (实名认证) adults living inside the scope, one hand per
household when the meeting is of household representatives (户代表), only group
representatives when it is of them.  Every refused hand raises
:class:`~microgov.errors.BallotRefused` carrying the failing verdicts and changes
nothing.  :func:`tally` counts the hands and decides with the quorum and majority of
the preset in force on the decision date (城市居民委员会组织法: more than half present,
more than half of those present in favour).  Hands come from every :class:`Channel`
— online, at a meeting, on a paper sheet entered in bulk with :func:`enter_sheet` —
and count in one tally, one per household (or voter) across channels.

A :class:`ScoringBallot` collects residents' integer scores of committee cadres
(两委干部年度考核打分); :func:`score_results` gives exact participation, mean and
median per cadre.

Refusal codes: ``voting.not_open``, ``voting.closed``, ``voting.unknown_voter``,
``voting.not_verified``, ``voting.not_adult``, ``voting.outside_scope``,
``voting.not_entitled``, ``voting.second_hand``, ``voting.no_hand``,
``voting.not_closed``; for counted sheets (:func:`enter_sheet`) also
``voting.sheet_duplicate`` and ``voting.sheet_already_entered``; for score cards
also ``voting.second_ballot``,
``voting.self_scoring``, ``voting.empty_card``, ``voting.unknown_subject``,
``voting.score_out_of_range``.

Example:
    >>> from microgov.voting import Choice
    >>> Choice.ABSTAIN.label_zh
    '弃权'
"""

from microgov._public import publish as _publish
from microgov.voting._channel import Channel, Choice, PaperSheet, SheetLine
from microgov.voting._common import Recorded
from microgov.voting._owners import (
    DEVELOPER,
    AreaSource,
    OwnerCounting,
    OwnersDecision,
    OwnersRoll,
    OwnersState,
    OwnersVote,
    Unit,
    cast_owner_vote,
    decide_owners,
)
from microgov.voting._petition import (
    Petition,
    PetitionState,
    Signature,
    judge_petition,
    sign_petition,
)
from microgov.voting._roll import Resident, Roll
from microgov.voting._scoring import (
    ScoreCard,
    ScoreResults,
    ScoringBallot,
    ScoringState,
    SubjectResult,
    cast_scores,
    score_results,
)
from microgov.voting._vote import (
    Hand,
    Tally,
    Vote,
    VoteState,
    enter_sheet,
    raise_hand,
    tally,
    withdraw_hand,
)

__all__ = [
    "DEVELOPER",
    "AreaSource",
    "Channel",
    "Choice",
    "Hand",
    "OwnerCounting",
    "OwnersDecision",
    "OwnersRoll",
    "OwnersState",
    "OwnersVote",
    "PaperSheet",
    "Petition",
    "PetitionState",
    "Recorded",
    "Resident",
    "Roll",
    "ScoreCard",
    "ScoreResults",
    "ScoringBallot",
    "ScoringState",
    "SheetLine",
    "Signature",
    "SubjectResult",
    "Tally",
    "Unit",
    "Vote",
    "VoteState",
    "cast_owner_vote",
    "cast_scores",
    "decide_owners",
    "enter_sheet",
    "judge_petition",
    "raise_hand",
    "score_results",
    "sign_petition",
    "tally",
    "withdraw_hand",
]

_publish(__name__, globals(), __all__)
