"""Legal frames: who (actor) shall / may / must not (force) do what (predicate), and their comparison.

A sentence's frame is matched with the passage frame whose predicate grounds most of its
words; the two must agree in force (``modality``) and actor (``actors``), or the sentence
is contradicted with a reason a person can read. Actors in other places of a clause (the
recipient, the owner, the agent after "by") are compared by ``slots``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rag.verification import actors, modality, slots
from rag.verification.actors import Mention
from rag.verification.clauses import clauses, described_spans
from rag.verification.grounding import is_grounded, region_words
from rag.verification.modality import Force, Modal
from rag.verification.types import Conflict
from rag.verification.words import TEXT_CACHE_SIZE, Token, content_tokens

PREDICATE_WORDS = 10
_PASSIVE_BY_RE = re.compile(r"\s+(?:not\s+)?be\s+(?:\w+ly\s+)?\w+(?:ed|en|wn|ne)\s+by\s+(?:the\s+)?", re.IGNORECASE)
# A predicate that opens a list runs into its items, this far at most.
LIST_CHARS = 400
# A passage frame answers a sentence frame when it grounds this share of the sentence's predicate.
MIN_PREDICATE_SHARE = 0.34
# ... counted over at least this many of the passage predicate's words.
MIN_PREDICATE_WORDS = 3


@dataclass(frozen=True)
class Frame:
    modal: Modal
    actor: Mention | None
    predicate: tuple[Token, ...]
    predicate_text: str
    clause: tuple[int, int]
    subject_text: str = ""  # the words before the modal in its clause ("the liability of legal persons")


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def frames(text: str) -> tuple[Frame, ...]:
    """The modal frames of ``text`` in reading order."""
    found: list[Frame] = []
    all_modals = modality.modals(text)
    all_mentions = actors.mentions(text)
    subjects = slots.doers(text)
    lead: Mention | None = None  # "The requested State Party: (a) Shall provide ...; (b) May ..."
    for clause_start, clause_end in clauses(text):
        inside = [m for m in all_modals if clause_start <= m.start < clause_end]
        lead = lead if slots.is_list_item(text, clause_start) else None
        previous_actor: Mention | None = lead
        for index, modal in enumerate(inside):
            # "shall adopt measures to empower its authorities to order ...": the nested permission is a frame of its
            # own, and the obligation's predicate runs through it.
            ending = [m for m in inside[index + 1 :] if not modality.is_nested_permission(m)]
            stop = ending[0].start if ending else clause_end
            if modal.actor_after:
                actor = next((a for a in all_mentions if modal.end <= a.start < stop), None)
            elif passive := _PASSIVE_BY_RE.match(text, modal.end, stop):
                # "the account will be operated by UNODC": the agent after "by" does it.
                actor = next((a for a in all_mentions if a.start >= passive.end() and a.start < stop), None)
            else:
                floor = inside[index - 1].end if index else clause_start
                before = [a for a in all_mentions if floor <= a.start < modal.start and a in subjects]
                actor = before[-1] if before else previous_actor
            cut = len(content_tokens(text[modal.end : stop])) < MIN_PREDICATE_WORDS
            if cut and stop == clause_end and text[clause_end : clause_end + 1] == ":":
                # "may refuse assistance if: (a) ...; (b) ...": the items complete the predicate.
                later = [m.start for m in all_modals if m.start > clause_end]
                stop = min([clause_end + LIST_CHARS, *later[:1]])
            predicate_text = text[modal.end : stop]
            predicate = tuple(content_tokens(predicate_text)[:PREDICATE_WORDS])
            floor = inside[index - 1].end if index else clause_start
            subject_text = text[floor : modal.start]
            found.append(Frame(modal, actor, predicate, predicate_text, (clause_start, clause_end), subject_text))
            previous_actor = actor
        if not inside and text[clause_end : clause_end + 1] == ":":
            heads = [a for a in all_mentions if clause_start <= a.start < clause_end and a in subjects]
            lead = heads[-1] if heads else None
    return tuple(found)


# The verb and object right after the modal weigh most: a claim whose first words match a frame's
# first words is about that frame.
HEAD_WORDS = 2
HEAD_BONUS = 0.5
# The words before the modal ("the liability of legal persons shall ...") tell frames over the same
# predicate words apart.
SUBJECT_WEIGHT = 0.25


def match(claim: Frame, candidates: tuple[Frame, ...]) -> Frame | None:
    """The passage frame whose predicate grounds most of ``claim``'s, or a compatible one that grounds as much.

    A passage often holds several frames over the same words ("may decline ...; may ... provide"):
    a frame of compatible force is taken when it grounds every word the best one does, in the
    predicate and before the modal. A passage
    predicate shorter than the sentence's (cut by the next modal) is asked to ground as many words
    as it has, not all of the sentence's.
    """
    if not claim.predicate:
        return None
    claim_subject = content_tokens(claim.subject_text)
    scored = []
    for candidate in candidates:
        region = region_words(candidate.predicate_text)
        grounded = frozenset(i for i, t in enumerate(claim.predicate) if is_grounded(t, region))
        if len(grounded) < MIN_PREDICATE_SHARE * min(
            len(claim.predicate), max(len(candidate.predicate), MIN_PREDICATE_WORDS)
        ):
            continue
        head = region_words(" ".join(t.surface for t in candidate.predicate[: HEAD_WORDS + 1]))
        bonus = HEAD_BONUS if any(is_grounded(t, head) for t in claim.predicate[:HEAD_WORDS]) else 0.0
        subject_region = region_words(candidate.subject_text)
        subject = frozenset(i for i, t in enumerate(claim_subject) if is_grounded(t, subject_region))
        score = (
            len(grounded) / len(claim.predicate) + bonus + SUBJECT_WEIGHT * len(subject) / max(1, len(claim_subject))
        )
        scored.append((score, grounded, subject, candidate))
    if not scored:
        return None
    _, best_words, best_subject, best = max(scored, key=lambda item: item[0])
    if modality.is_nested_permission(best.modal) and not modality.compatible(claim.modal.force, best.modal.force):
        # "must be able to order", "must empower its authorities to order": the obligation that gives the power.
        # "must order" for a power to order: the obligation to do what the passage only empowers someone to do.
        enclosing = [f for f in candidates if f.clause == best.clause and f.modal.start < best.modal.start]
        if not enclosing or not _ENABLING_RE.search(claim.modal.surface + claim.predicate_text[:ENABLING_CHARS]):
            return best
        return enclosing[-1]
    compatible = [
        item
        for item in scored
        if item[1] >= best_words
        and item[2] >= best_subject
        and modality.compatible(claim.modal.force, item[3].modal.force)
    ]
    return max(compatible, key=lambda item: item[0])[3] if compatible else best


# Words by which an obligation gives a power rather than imposes the act ("shall be able to", "must empower"),
# after the State it obliges when the sentence names it after the verb ("requires States Parties to empower").
_ENABLING_RE = re.compile(
    r"^\s*(?:(?:(?:each|every|all|the|its|their)\s+)?(?:(?:states?|part(?:y|ies)|countr(?:y|ies)|governments?)\s+)"
    r"{1,2}to\s+)?(?:\w+ly\s+)?(?:be\s+(?:able|empowered|allowed|permitted|authori[sz]ed|entitled|given\s+the\s+(?:power|right))"
    r"|have\s+the\s+(?:right|power|ability)|empower|enable|let|allow|permit|authori[sz]e|give\s+\w+\s+(?:\w+\s+){0,2}"
    r"(?:the\s+)?(?:power|right))\b",
    re.IGNORECASE,
)
ENABLING_CHARS = 80


def enabling(frame: Frame) -> bool:
    """An obligation to give a power ("shall be able to", "must be empowered to"): it grants what a permission
    states, so either may paraphrase the other."""
    opening = frame.predicate_text[:ENABLING_CHARS]
    return frame.modal.force is Force.OBLIGATION and _ENABLING_RE.search(opening) is not None


def forces_agree(claim: Frame, found: Frame) -> bool:
    if modality.compatible(claim.modal.force, found.modal.force):
        return True
    powers = {Force.PERMISSION, Force.CAN, Force.OBLIGATION}
    return (enabling(claim) and found.modal.force in powers) or (enabling(found) and claim.modal.force in powers)


@dataclass(frozen=True)
class Comparison:
    conflicts: list[Conflict]
    clauses: list[tuple[int, int]]  # the passage clauses the sentence's frames matched


_FORCE_VERB = {
    Force.OBLIGATION: "obliges",
    Force.PERMISSION: "permits",
    Force.PROHIBITION: "forbids",
    Force.NO_OBLIGATION: "leaves free",
    Force.SOFT: "asks",
    Force.SHOULD: "asks",
}


# A sentence's obligation, permission or prohibition over words the passage only describes (in a
# relative or conditional clause, without a modal) is not stated there: when one description grounds
# this share of its predicate's words (at least ``MIN_PREDICATE_WORDS``), more than any passage frame.
MIN_DESCRIBED_SHARE = 0.75
_BINDING = {Force.OBLIGATION: "oblige", Force.PERMISSION: "permit", Force.PROHIBITION: "forbid"}
DESCRIBED_QUOTE_WORDS = 6  # of the sentence's predicate, quoted in the reason


def _grounded_count(claim: Frame, text: str) -> int:
    region = region_words(text)
    return sum(1 for t in claim.predicate if is_grounded(t, region))


def _reach(frame: Frame, text: str) -> str:
    """The frame's predicate with the list its clause opens ("shall ensure: (a) that ...; (b) ...")."""
    end = frame.clause[1]
    if text[end : end + 1] != ":":
        return frame.predicate_text
    later = [m.start for m in modality.modals(text) if m.start > end]
    return text[frame.modal.end : min([end + LIST_CHARS, *later[:1]])]


def described_only(claim: Frame, passage_text: str, passage_frames: tuple[Frame, ...]) -> Conflict | None:
    """A conflict when ``claim`` binds someone to a predicate the passage states only as a description.

    "If a State Party that makes extradition conditional on a treaty receives a request, it may ..."
    obliges no one to make extradition conditional: "must make extradition conditional" is not stated.
    """
    verb = _BINDING.get(claim.modal.force)
    if verb is None or len(claim.predicate) < MIN_PREDICATE_WORDS:
        return None
    described = max((_grounded_count(claim, passage_text[a:b]) for a, b in described_spans(passage_text)), default=0)
    if described < max(MIN_PREDICATE_WORDS, MIN_DESCRIBED_SHARE * len(claim.predicate)):
        return None
    # A frame of another force over these words is modality's usual conflict ("the passage says "may"").
    if max((_grounded_count(claim, _reach(f, passage_text)) for f in passage_frames), default=0) >= described:
        return None
    # "may apply agreements they have concluded" against "shall be entitled to apply that agreement": the
    # passage binds the same act; the sentence's own description is what it grounds better.
    found = match(claim, passage_frames)
    if found is not None and modality.compatible(claim.modal.force, found.modal.force):
        head = region_words(" ".join(t.surface for t in found.predicate[: HEAD_WORDS + 1]))
        if is_grounded(claim.predicate[0], head):
            return None
    quoted = " ".join(claim.predicate_text.split()[:DESCRIBED_QUOTE_WORDS]).rstrip(",;")
    ellipsis = "…" if len(claim.predicate_text.split()) > DESCRIBED_QUOTE_WORDS else ""
    return Conflict("modality", f'modality: the passage does not {verb} anyone to "{quoted}{ellipsis}"', "described")


def _said(modal: Modal) -> str:
    surface = " ".join(modal.surface.split())
    return "imposes no obligation to" if len(surface) > 40 else surface


def _absent_reason(claim_text: str, passage_text: str, named: Mention) -> str:
    """Names the passage's own named actor, when it has one ("the requested State Party", not "the requesting")."""
    quoted = claim_text[named.start : named.end]
    others = [m for m in actors.mentions(passage_text) if m.role in actors.NAMED_ROLES]
    if others:
        return f'actor: the passage speaks of "{passage_text[others[0].start : others[0].end]}", not "{quoted}"'
    return f'actor: the passage does not speak of "{quoted}"'


def compare(claim_text: str, passage_text: str) -> Comparison:
    """Modality, negation and actor conflicts between the sentence's frames and the passage's."""
    passage_frames = frames(passage_text)
    conflicts: list[Conflict] = []
    matched: list[tuple[int, int]] = []
    for claim in frames(claim_text):
        if unstated := described_only(claim, passage_text, passage_frames):
            conflicts.append(unstated)
            continue
        found = match(claim, passage_frames)
        if found is None:
            continue
        matched.append(found.clause)
        said, says = _said(found.modal), _said(claim.modal)
        if not forces_agree(claim, found):
            kind = "negation" if modality.is_negation(claim.modal.force, found.modal.force) else "modality"
            # One rule per pair of forces, so that calibration can switch off a pair that misreads.
            rule = f"{claim.modal.force.name.lower()}-for-{found.modal.force.name.lower()}"
            conflicts.append(Conflict(kind, f'{kind}: the passage says "{said}", the sentence says "{says}"', rule))
        elif claim.actor and found.actor and not actors.compatible(claim.actor.role, found.actor.role):
            verb = _FORCE_VERB.get(found.modal.force, "addresses")
            reason = f"actor: the passage {verb} {found.actor.role.value}, the sentence {claim.actor.role.value}"
            conflicts.append(Conflict("actor", reason))
    conflicts.extend(slots.compare(claim_text, passage_text))
    named = actors.absent(claim_text, passage_text)
    if named is not None:
        conflicts.append(Conflict("actor", _absent_reason(claim_text, passage_text, named), "absent"))
    return Comparison(conflicts, list(dict.fromkeys(matched)))
