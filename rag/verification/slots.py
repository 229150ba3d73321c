"""Actor slots: who does a thing, to whom, and whose it is, read from the words around each actor mention.

In "the requested State Party shall disclose traffic data to the requesting State Party" the
requested State is the doer of "disclose" and the requesting State its recipient; in "the
domestic law of the requested State Party" (or "the requested State's domestic law") the
requested State owns the law. A sentence's slot is compared with the passage slots of the same
kind whose anchor words (what a doer does, what an owner owns, what a recipient receives) it
shares: when those that share most name another actor, the sentence gave the thing to the wrong
actor ("requesting" written for "requested", the Conference for the Secretary-General).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rag.verification import actors
from rag.verification.actors import Mention
from rag.verification.clauses import clauses
from rag.verification.grounding import RegionWords, is_grounded, region_words
from rag.verification.numbers import NUMBER_WORDS
from rag.verification.types import Conflict
from rag.verification.words import TEXT_CACHE_SIZE, Token, blanked, content_tokens


class Relation(StrEnum):
    DOER = "doer"  # the subject of a clause, the agent after "by", "X, which shall ...", "asks X to ..."
    OWNER = "owner"  # "the law of X", "X's law"
    SOURCE = "source"  # "from X"
    OTHER = "other"  # an object: "inform X", "to X", "for X"; the subject of a passive


@dataclass(frozen=True)
class Slot:
    mention: Mention
    relation: Relation
    anchors: tuple[Token, ...]  # the content words that say what the slot is about
    span: tuple[int, int]  # the mention and its anchors, for a reason

    @property
    def role(self) -> actors.Role:
        return self.mention.role


# Anchor words taken on each side: a doer's first words after it, an object's last words before it.
ANCHOR_WORDS = 3
OWNED_WORDS = 2
COMPLEMENT_WORDS = 2
# The agent after "by" is anchored by the passive clause before it ("the costs ... shall be borne by").
AGENT_WORDS = 5
QUOTE_CHARS = 60
# A passage slot must share this many anchor words (or all of a shorter slot's) to stand for the sentence's.
MIN_SHARED = 2

_WORD_RE = re.compile(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*")
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "each",
        "every",
        "any",
        "its",
        "their",
        "those",
        "these",
        "such",
        "both",
        "all",
        "other",
        "another",
        "his",
        "her",
    ]
)
# A mention after one of these (or at the start of a clause) is the subject of what follows.
_OPENERS = frozenset(
    [
        "that",
        "which",
        "who",
        "where",
        "when",
        "if",
        "whether",
        "unless",
        "until",
        "while",
        "whereas",
        "because",
        "as",
        "once",
        "then",
        "so",
        "whom",
    ]
)
_COORDINATORS = frozenset({"and", "or", "nor"})
_COPULAS = frozenset(["be", "is", "are", "was", "were", "been", "being", "become", "becomes"])
_PLACES = frozenset(["in", "within", "at", "into", "inside", "outside", "throughout", "across"])
_PREPOSITIONS = frozenset(
    ["of", "to", "by", "from", "for", "with", "against", "upon", "on", "at", "into", "between", "among"]
)
# "X and Y shall", "X of Y shall": X's words run past Y to what follows.
_LINKED_RE = re.compile(r"\s*,?\s*(?:and|or|nor|of)\s+(?:the\s+|its\s+|their\s+|those\s+|any\s+)?(?:other\s+)?$", re.I)
_POSSESSIVE_RE = re.compile(r"(?:['’]s\b|s?['’](?!\w))")
_TO_VERB_RE = re.compile(r"^\s*to\s+(?!(?:the|a|an|its|their|this|that|each|any|such|those|these)\b)(?=[a-z])", re.I)
# A mention right before a modal or a finite auxiliary is a subject, whatever precedes it.
_SUBJECT_RE = re.compile(r"\s*(?:shall|must|may|will|should|can|cannot|could|is|are|was|were|has|have|does|do)\b", re.I)
# What follows a doer stops where another subject starts ("... and it does not extradite").
_NEW_SUBJECT_RE = re.compile(
    r"(?:,\s*|\b)(?:and|or|but)\s+(?:it|they|he|she|this|that|which|who)\b|,\s*(?:which|who)\b", re.I
)
_RELATIVE_RE = re.compile(r"^\s*,?\s*(?:which|who)\s+", re.I)
_MODAL = r"(?:shall|must|may|will|should|can|could|would|might)"
# "X is requested / required / encouraged to do": X is the doer of what follows "to".
_ASKED_TO_RE = re.compile(
    rf"^\s*(?:{_MODAL}\s+)?(?:is|are|be|was|were|has been|have been)\s+(?:\w+ly\s+)?(?:required|obliged|obligated|"
    r"bound|entitled|permitted|allowed|encouraged|expected|authori[sz]ed|empowered|requested|asked|invited|urged|"
    r"called upon|called on|free|able|compelled|forced|made)\s+to\s+",
    re.I,
)
# "X shall be informed": X is the object of the verb.
_PASSIVE_RE = re.compile(
    rf"^\s*(?:(?:{_MODAL}\s+(?:not\s+)?be)|is|are|was|were|has been|have been|being)\s+(?:\w+ly\s+)?"
    r"(?:\w+(?:ed|en|wn)|made|sent|held|kept|told|paid|sought|brought|borne|done|set|put|met)\b",
    re.I,
)

_CONTROL_RE = re.compile(
    r"(?:oblig|requir|compel|enabl|empower|ask|request|authori[sz]|permit|allow|order|direct|invit|encourag|urg)", re.I
)
_TO_RE = re.compile(r"\bto\s+(?!(?:the|a|an|its|their|this|that|each|any|such|those|these)\b)(?=[a-z])", re.I)
_BE_BEFORE_RE = re.compile(r"\b(?:is|are|be|was|were)\s+$", re.I)
_POSSESSOR_GAP_RE = re.compile(r"(?:['’]s?|s['’])\s+", re.I)
_LIST_MARKER_RE = re.compile(r"\((?:[a-z]{1,2}|[ivx]{1,5})\)\s*$", re.I)
_LEADING_MARKER_RE = re.compile(r"\s*\(?(?:[a-z]{1,2}|[ivx]{1,5})\)\s", re.I)
# "X shall be notified ... and shall set up a register": X also does what follows "and shall".
_AND_MODAL_RE = re.compile(rf",?\s+and\s+{_MODAL}\s+(?:not\s+)?(?:also\s+)?", re.I)
# A subject that ends a clause opening a list ("The requested State Party:") does what the items say.
LIST_LEAD_CHARS = 200


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def slots(text: str) -> tuple[Slot, ...]:
    """Every actor mention's slots (a mention may hold two: "asks X to ...", "X, which shall ...")."""
    found: list[Slot] = []
    all_mentions = actors.mentions(text)
    # Anchors are read from the text with the mentions blanked: an actor's name is no anchor.
    plain = blanked(text, ((m.start, m.end) for m in all_mentions))
    for clause_start, clause_end in clauses(text):
        inside = [m for m in all_mentions if clause_start <= m.start < clause_end]
        previous: list[Slot] = []
        for index, mention in enumerate(inside):
            floor = inside[index - 1].end if index else clause_start
            # "X and Y shall ...", "X of Y shall ...": X's words run past Y (Y "and"-joined copies X's slot).
            following = index + 1
            while following < len(inside) and _LINKED_RE.match(
                text, inside[following - 1].end, inside[following].start
            ):
                following += 1
            ceiling = inside[following].start if following < len(inside) else clause_end
            # "both States' service providers agree": the owned actor stands where its owner does.
            owned = index > 0 and bool(_POSSESSOR_GAP_RE.fullmatch(text, inside[index - 1].end, mention.start))
            place = inside[index - 1] if owned else mention
            own = _slots_of(text, plain, mention, place.start, (clause_start, clause_end), floor, ceiling, previous)
            found.extend(own)
            previous = own
    return tuple(found)


def _slots_of(
    text: str,
    plain: str,
    mention: Mention,
    place: int,
    clause: tuple[int, int],
    floor: int,
    ceiling: int,
    previous: list[Slot],
) -> list[Slot]:
    clause_start, clause_end = clause
    before_words = list(_WORD_RE.finditer(text, clause_start, place))
    while before_words and before_words[-1].group(0).lower() in _DETERMINERS:
        before_words.pop()
    after = text[mention.end : ceiling]
    prev = before_words[-1] if before_words else None
    prev_word = prev.group(0).lower() if prev else None
    boundary = prev is None or any(ch in text[prev.end() : place] for ch in ",;:()")
    found: list[Slot] = []

    possessive = _POSSESSIVE_RE.match(after)
    if possessive:
        found.append(_after_slot(plain, mention, Relation.OWNER, mention.end + possessive.end(), ceiling, OWNED_WORDS))
    elif prev_word in _COORDINATORS and not boundary and previous and place == mention.start:
        # "X and Y shall ...", "to X or Y": Y takes X's place.
        found.extend(Slot(mention, s.relation, s.anchors, (mention.start, mention.end)) for s in previous[:1])
    elif boundary or prev_word in _OPENERS or _SUBJECT_RE.match(after) or prev_word in _COORDINATORS:
        asked = _ASKED_TO_RE.match(after)
        if asked:
            found.append(_after_slot(plain, mention, Relation.DOER, mention.end + asked.end(), ceiling, ANCHOR_WORDS))
        elif _PASSIVE_RE.match(after):
            found.append(_after_slot(plain, mention, Relation.OTHER, mention.end, ceiling, ANCHOR_WORDS))
        else:
            doer = _after_slot(plain, mention, Relation.DOER, mention.end, ceiling, ANCHOR_WORDS)
            if not doer.anchors and text[clause_end : clause_end + 1] == ":":
                lead_end = min(len(text), clause_end + LIST_LEAD_CHARS)
                doer = _after_slot(plain, mention, Relation.DOER, clause_end + 1, lead_end, ANCHOR_WORDS)
            found.append(doer)
        also = _AND_MODAL_RE.search(text, mention.end, clause_end)
        if also:
            found.append(_after_slot(plain, mention, Relation.DOER, also.end(), clause_end, ANCHOR_WORDS))
    else:
        assert prev is not None
        if prev_word == "by":
            found.append(_before_slot(plain, mention, Relation.DOER, floor, prev.start(), AGENT_WORDS))
        elif prev_word == "of":
            found.append(_before_slot(plain, mention, Relation.OWNER, clause_start, prev.start(), OWNED_WORDS))
        elif prev_word == "from":
            found.append(_before_slot(plain, mention, Relation.SOURCE, floor, prev.start(), ANCHOR_WORDS))
        elif prev_word in _PLACES or prev_word in _COPULAS:
            pass  # "in the State applying it": where, not who; "is not a service provider": what, not who
        else:
            # An object's anchors: the verb before it and what it is made ("designate X as the secretariat").
            before = _before_slot(plain, mention, Relation.OTHER, floor, mention.start, ANCHOR_WORDS)
            complement = _after_slot(plain, mention, Relation.OTHER, mention.end, ceiling, COMPLEMENT_WORDS).anchors
            anchors = before.anchors + complement
            span = (before.span[0], complement[-1].end if complement else mention.end)
            found.append(Slot(mention, Relation.OTHER, anchors, span))
        control = _TO_VERB_RE.match(after) or _controlled(after, prev_word)
        if control and prev_word not in _PREPOSITIONS:
            # "asks the Secretary-General to designate ...": the object does what follows.
            found.append(_after_slot(plain, mention, Relation.DOER, mention.end + control.end(), ceiling, ANCHOR_WORDS))
    relative = _RELATIVE_RE.match(after)
    if relative:
        found.append(_after_slot(plain, mention, Relation.DOER, mention.end + relative.end(), ceiling, ANCHOR_WORDS))
    return found


def _controlled(after: str, verb: str | None) -> re.Match[str] | None:
    """After "oblige / enable / ask X": the last "to <verb>" of X's words, past a relative clause
    ("oblige the custodian who is to preserve the data to keep it confidential")."""
    if verb is None or not _CONTROL_RE.match(verb):
        return None
    found = [m for m in _TO_RE.finditer(after) if not _BE_BEFORE_RE.search(after, 0, m.start())]
    return found[-1] if found else None


def is_list_item(text: str, clause_start: int) -> bool:
    """Does the clause at ``clause_start`` open with a list marker ("(a)", "(ii)")?"""
    return bool(
        _LIST_MARKER_RE.search(text, max(0, clause_start - 8), clause_start)
        or _LEADING_MARKER_RE.match(text, clause_start)
    )


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def doers(text: str) -> frozenset[Mention]:
    """The mentions that are the subject (or the agent) of something in ``text``."""
    return frozenset(s.mention for s in slots(text) if s.relation is Relation.DOER)


def _after_slot(text: str, mention: Mention, relation: Relation, start: int, end: int, count: int) -> Slot:
    new_subject = _NEW_SUBJECT_RE.search(text, start, end)
    end = new_subject.start() if new_subject else end
    found = _shifted(content_tokens(text[start:end]), start)
    # The words a doer does end at the first comma after them ("unless X agrees, a person ...").
    comma = text.find(",", found[0].end, end) if found else -1
    if comma >= 0:
        found = [t for t in found if t.start < comma]
    anchors = tuple(found[:count])
    stop = anchors[-1].end if anchors else mention.end
    return Slot(mention, relation, anchors, (mention.start, stop))


def _before_slot(text: str, mention: Mention, relation: Relation, start: int, end: int, count: int) -> Slot:
    anchors = tuple(_shifted(content_tokens(text[start:end]), start)[-count:])
    first = anchors[0].start if anchors else mention.start
    return Slot(mention, relation, anchors, (first, mention.end))


def _shifted(tokens: tuple[Token, ...], offset: int) -> list[Token]:
    return [Token(t.surface, t.stem, t.start + offset, t.end + offset) for t in tokens]


def _region(slot: Slot) -> RegionWords:
    return region_words(" ".join(t.surface for t in slot.anchors))


def _shared(claim: Slot, passage: Slot) -> int:
    """Anchor words the two slots share; a figure ("two sessions", "two years") places no actor."""
    region = _region(passage)
    return sum(is_grounded(t, region) for t in claim.anchors if t.surface.lower() not in NUMBER_WORDS)


def compare(claim_text: str, passage_text: str) -> list[Conflict]:
    """An actor conflict for each sentence slot whose closest passage slots all name another actor."""
    passage_slots = slots(passage_text)
    conflicts: list[Conflict] = []
    for claim in slots(claim_text):
        if not claim.anchors:
            continue
        same, other = 0, 0
        closest: Slot | None = None
        for candidate in passage_slots:
            if candidate.relation is not claim.relation:
                continue
            shared = _shared(claim, candidate)
            if actors.same_actor(claim.role, candidate.role):
                same = max(same, shared)
            elif shared > other:
                other, closest = shared, candidate
        if closest is not None and other > same and other >= min(MIN_SHARED, len(claim.anchors), len(closest.anchors)):
            conflicts.append(
                Conflict(
                    "actor",
                    f"actor: the passage says {_quote(passage_text, closest)}, "
                    f"the sentence {_quote(claim_text, claim)}",
                    f"slot-{claim.relation.value}",
                )
            )
    return conflicts


def _quote(text: str, slot: Slot) -> str:
    """The mention with its anchor words, cut to ``QUOTE_CHARS`` on the side away from the mention."""
    quoted = " ".join(text[slot.span[0] : slot.span[1]].split())
    if len(quoted) > QUOTE_CHARS:
        if slot.span[1] == slot.mention.end:  # anchored before the mention: keep the end
            quoted = "… " + quoted[-QUOTE_CHARS:].split(" ", 1)[-1]
        else:
            quoted = quoted[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
    return f'"{quoted}"'
