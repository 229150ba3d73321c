"""Spot a premise of the question that the best evidence contradicts, so the answer opens with "No".

"Since the treaty applies to crimes with a minimum of four years..." takes for granted what the
text words otherwise ("a maximum deprivation of liberty of at least four years"). These rules
compare what the question states with the best-scored sentences:

- a figure: the question states a number of days, years, months or instruments, or an age, and
  the evidence gives only other numbers of that kind, or the same number with the other bound
  ("minimum" against "maximum"); or the question asserts a figure ("Since the convention sets a
  10-year term ...", "... a five-year limit, doesn't it?") that none of the sentences gives;
- a scope: the question asserts that something holds for any offence, and the evidence limits it
  to serious offences or a range of them, with no sentence saying "any offence";
- an obligation: a question asserting that the text requires, obliges or always does something
  ("Since ... makes it mandatory ...", "... isn't it?") where a sentence about that very action
  (``_on_action``: it shares the words that follow "mandatory to", "requires") says a State "may";
- a permission: the question says a State can, may or is let do something the evidence says it
  "may not" or "shall not" do;
- immediacy: "with immediate effect", "from the day" against a waiting period in the evidence;
- exclusivity: "only the English text is authentic" against a sentence on it that adds others
  ("equally authentic", "also open to", "and thereafter at").

A question asserts what its opening or inner premise clause says ("Since ...", "..., since ..."), what it
goes on from ("X, so how ...?"), a statement before its question, what a "why" takes for granted, or
what a tag asks to confirm; only then may the obligation, permission, scope and exclusivity rules fire.

A premise clause ("Since the signing was in Geneva, ...") naming what no document mentions is
contradicted too (``check_premise``): the answer says so, then gives the documents' own account.

Before these rules, the claim the question asserts (``QuestionReading.asserted``: its premise clause,
the claim it quotes, the claim it asks to confirm) is put to the claim verifier against each of the best
sentences (``verified_contradiction``): the first the verifier finds contradicting it by its wording
(``CORRECTING_CONFLICTS``: "may" against "obliges", "shall not" against "lets", "imposes no obligation"
against "have to") is the correction. A sentence that only lacks the claim's words is
no evidence against it: the verifier says "not found", and the premise stands.

The rules decide on the best sentences whether the premise is contradicted; the sentence the answer
then opens with is chosen by its relation to the premise (``_lead_by_topic``): of the sentences that
contradict it the same way, the one sharing most words with what the premise is about (``premise_topic``),
so that the correction quotes the provision that contradicts it, not merely the best-scored one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.answering.assess.names import unknown_names
from rag.answering.retrieve.claims import premise_of
from rag.documents import Registry
from rag.glossary import expansions
from rag.keyword_index import tokenize
from rag.verification import Verdict, Verifier

# How many of the best sentences may carry the contradicting wording.
EVIDENCE_SENTENCES = 3
# How many of the best sentences the lead of a correction is chosen from, by its relation to the premise.
LEAD_SENTENCES = 10
# The conflicts by which the verifier's contradiction of an asserted claim corrects it: the text's own
# wording against the claim's. An actor the passage does not speak of, or another instrument named, is
# a sentence about something else rather than a correction; a figure the passage does not give ("20
# countries", "in 2026") is no evidence against it either, so figures are left to the figure rules,
# which compare a figure only with one of the same kind.
CORRECTING_CONFLICTS = frozenset({"modality", "negation"})
# The words that open an answer whose premise the evidence contradicts.
PREMISE_CORRECTION = "No, the text says otherwise. "
# The direct answer of a generative answer whose premise the passages' wording contradicts.
PREMISE_DIRECT = "No"
# Why a premise clause naming what no document mentions is contradicted (not by the text itself).
UNKNOWN_NAMES_REASON = "the premise names what no document mentions"

_CARDINALS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "sixteen": 16, "eighteen": 18, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90, "hundred": 100,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fifth": 5, "tenth": 10, "thirtieth": 30, "fortieth": 40,
    "fiftieth": 50, "sixtieth": 60, "ninetieth": 90,
}  # fmt: skip
_NUMBER = rf"(?:\d+|{'|'.join(sorted({**_CARDINALS, **_ORDINALS}, key=len, reverse=True))})"
# Units that a figure is compared within; a figure of another kind is not evidence against it.
_UNIT_KINDS = {
    "day": "days", "days": "days", "month": "months", "months": "months", "year": "years", "years": "years",
    "hour": "hours", "hours": "hours", "ratification": "instruments", "ratifications": "instruments",
    "instrument": "instruments", "instruments": "instruments",
}  # fmt: skip
_FIGURE_RE = re.compile(
    rf"\b(?P<number>{_NUMBER})(?:-|\s+)(?:[\w-]+\s+){{0,2}}?(?P<unit>{'|'.join(_UNIT_KINDS)})\b", re.IGNORECASE
)
_AGE_RE = re.compile(r"\b(?:under|over|below|above|younger than|older than)\s+(?:the age of\s+)?(?P<number>\d+)\b")
_MIN_BOUND_RE = re.compile(r"\b(?:minimum|at least|no less than|not less than)\b[^.;]{0,40}$", re.IGNORECASE)
_MAX_BOUND_RE = re.compile(r"\b(?:maximum|up to|at most|no more than)\b[^.;]{0,40}$", re.IGNORECASE)
_ASKS_FIGURE_RE = re.compile(r"\bhow (?:many|much|long|old|soon)\b|\bwhat (?:number|age|period)\b", re.IGNORECASE)

# A question that asserts rather than asks: a premise clause, opening it or inside it ("..., since the
# treaty forces ..."); a claim it goes on from ("X, so how ...?"), a statement before its question ("The
# convention was opened in Geneva. Until when ...?"), or what a "why" takes for granted ("Why does the
# treaty require ...?"); or a tag asking for confirmation.
_ASSERTS_RE = re.compile(
    r"^(?:since|given that|as|because|now that|once|considering that)\b"
    r"|[,;]\s+(?:since|because|given that|now that)\s"
    r"|,\s+so\s+(?:how|what|why|which|who|when|where|can|could|does|do|is|are|will|would|should|must)\b"
    r"|^[^?]{15,}?[.!]\s+[A-Z][^.!]*\?\s*$"
    r"|^why (?:does|did|do|is|are|was|were|would|will|must|should|has|have)\b"
    r"|\b(?:isn'?t it|doesn'?t it|don'?t they|right|true|correct|is that (?:so|true|right|correct))\s*\?",
    re.IGNORECASE,
)
_OBLIGATION_RE = re.compile(
    r"\b(?:mandatory|obligatory|compulsory|oblige[sd]?|obligat\w+|requires?|required|must|has to|have to|always|"
    r"forces?|makes? (?:every|each|all|any)?\s*(?:states?|countries|country|parties|party|governments?))\b",
    re.IGNORECASE,
)
# "makes <action> mandatory": the action stands before the obligation word.
_MADE_MANDATORY_RE = re.compile(
    r"\bmakes?\s+(?P<action>[^,.;?!]{3,80}?)\s+(?:mandatory|obligatory|compulsory)\b", re.IGNORECASE
)
# A premise that something holds only for one thing ("only the English text is authentic", "only open to UN
# member states") against a sentence on its topic that adds others ("also open to ...", "equally
# authentic", "and thereafter at ...", "without a criminal conviction").
_ONLY_RE = re.compile(r"\b(?:only|solely|exclusively)\b(?P<what>[^,.;?!]*)", re.IGNORECASE)
_INCLUSIVE_RE = re.compile(r"\b(?:also|equally|thereafter|as well as|without|regardless)\b", re.IGNORECASE)
_MAY_RE = re.compile(r"\bmay\b(?!\s+not\b)", re.IGNORECASE)
_SHALL_RE = re.compile(r"\bshall\b(?!\s+not\b)", re.IGNORECASE)
_PERMISSION_RE = re.compile(r"\b(?:can|could|may|lets?|allows?|permits?|free to|able to)\b", re.IGNORECASE)
# "shall not transmit or use": every verb of a coordinated prohibition is forbidden; of "shall not be bound", "bound".
_FORBIDDEN_RE = re.compile(r"\b(?:may|shall) not (?:be )?(\w+)(?:,? or (\w+))?", re.IGNORECASE)
# How many words either side of a figure say what it measures ("a five-year statute of limitations").
_TOPIC_WORDS = 3
_GENERIC_STEMS = frozenset(
    tokenize(
        "convention treaty un united nations state states party parties article text sets set makes says "
        "hanoi budapest palermo merida uncc"
    )
)
# Words that carry a premise's modality or its question, not what it is about.
_FRAME_STEMS = frozenset(
    tokenize(
        "mandatory obligatory oblige obliges obligation requires required must always can could may "
        "let lets allow allows permit permits free able immediate immediately effect right true correct since "
        "given isn't doesn't don't day"
    )
)
# The action an asserted obligation is about: the words after "mandatory to", "requires", "forces".
_ACTION_RE = re.compile(r"^\W*(?P<action>[^,.;?!]*)")
_ACTION_WORDS = 8
_ANY_OFFENCE_RE = re.compile(
    r"\b(?:any|all|every|whatever)\s+(?:\w+\s+)?(?:offen[cs]es?|crimes?)\b|\bfor anything\b", re.IGNORECASE
)
_SOME_OFFENCES_RE = re.compile(
    r"\b(?:serious|specified|certain|particular)\s+(?:criminal\s+)?(?:offen[cs]es|crimes)\b|\ba range of\b",
    re.IGNORECASE,
)
_IMMEDIATE_RE = re.compile(
    r"\bimmediate(?:ly)?\b|\bat once\b|\bfrom the (?:first )?day\b|\bstraight away\b|\bright away\b", re.IGNORECASE
)
_WAITING_RE = re.compile(
    rf"\b(?:{_NUMBER})\s+(?:days?|months?|years?)\s+(?:after|from|following)\b|\bafter the expiry\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Contradiction:
    """Which of the given sentences contradicts the question's premise, and why; ``on_topic``: the
    sentence shares a word with what the premise is about (what its figure measures, for a figure the
    text never gives), so the contradiction is evidence the documents speak to the question."""

    sentence: int
    reason: str
    on_topic: bool = True


@dataclass(frozen=True)
class PremiseCheck:
    """Whether the best sentences contradict what the question takes for granted, and the words
    that open the answer when they do."""

    contradiction: Contradiction | None
    correction: str = PREMISE_CORRECTION

    @property
    def by_the_text(self) -> bool:
        """The passages' own wording contradicts the premise (not merely a name they never mention)."""
        return self.contradiction is not None and self.contradiction.reason != UNKNOWN_NAMES_REASON

    @property
    def settles_refusal(self) -> bool:
        """The passages' wording contradicts the premise on its topic: the question is answered by the
        correction rather than refused. A premise that only looks contradicted (a figure about
        something no sentence speaks of) leaves the decision to the answerability model."""
        return self.by_the_text and self.contradiction is not None and self.contradiction.on_topic

    @property
    def lead(self) -> int | None:
        """The best sentence (its rank) the answer should open with, when the premise is contradicted."""
        return self.contradiction.sentence if self.contradiction else None


NOTHING_CONTRADICTED = PremiseCheck(None)


def check_premise(
    premise: str | None,
    query: str,
    sentences: Sequence[str],
    corpus: str,
    registry: Registry | None = None,
    *,
    claim: str | None = None,
    verifier: Verifier | None = None,
) -> PremiseCheck:
    """Whether the best ``sentences`` (best first) contradict what the question (``query``) takes
    for granted: a ``premise`` clause naming what no document of ``corpus`` mentions (the names of
    ``registry`` count as mentioned), the asserted ``claim`` as the ``verifier`` finds it contradicted
    (``verified_contradiction``), or ``contradicted_premise``. A premise naming the unknown opens
    with the best sentence: the documents' own account of what is asked."""
    if premise and sentences:
        names = unknown_names(premise, corpus, registry)
        if names:
            return PremiseCheck(Contradiction(0, UNKNOWN_NAMES_REASON), unknown_premise_names(names))
    if claim and verifier is not None:
        verified = verified_contradiction(claim, sentences, verifier)
        if verified is not None:
            return PremiseCheck(verified)
    return PremiseCheck(contradicted_premise(query, sentences))


def verified_contradiction(claim: str, sentences: Sequence[str], verifier: Verifier) -> Contradiction | None:
    """The first of the best ``LEAD_SENTENCES`` of ``sentences`` that holds the words of ``claim`` yet does not
    support it, one of ``CORRECTING_CONFLICTS`` counting against it (``Verification.conflicts``), with the
    verifier's reason; None when none does. The verifier counts conflicts only for a sentence that holds the
    claim's words (its grounding is above threshold), so the correction is on the claim's topic; another
    rule may give the reason ("condition dropped: any listed offence") beside the modality or negation."""
    window = sentences[:LEAD_SENTENCES]
    verifier.prepare([claim])
    for index, sentence in enumerate(window):
        # One line: a sentence broken across lines of its source reads as several clauses to the checks.
        verification = verifier.verify(claim, " ".join(sentence.split()))
        correcting = [kind for kind in verification.conflicts if kind in CORRECTING_CONFLICTS]
        if verification.verdict is not Verdict.SUPPORTED and correcting:
            return Contradiction(index, verification.reason or correcting[0])
    return None


def premise_topic(question: str, expand: bool = False) -> set[str]:
    """What the premise of ``question`` is about: the stems of its premise clause ("Since X, ...") or,
    without one, of the whole question, less the documents' generic names and the words of its
    modality; with ``expand``, those of the glossary's treaty wording of its plain words ("pull out"
    brings "denunciation")."""
    text = premise_of(question) or question
    if expand:
        text = " ".join(expansions(text))
    return set(tokenize(text)) - _GENERIC_STEMS - _FRAME_STEMS


def _overlap(topic: set[str], sentence: str) -> int:
    """How many stems of ``topic`` ``sentence`` shares, a stem also matching one it begins or ends
    within four letters or more ("criminalis" and "crimin", "sign" and "signatur")."""
    stems = set(tokenize(sentence))
    return sum(
        1
        for stem in topic
        if stem in stems or any(min(len(stem), len(other)) >= 4 and _prefixed(stem, other) for other in stems)
    )


def _prefixed(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _lead_by_topic(topics: Sequence[set[str]], sentences: Sequence[str], indices: Sequence[int]) -> int:
    """Of ``indices`` (of ``sentences``, best first), the best-ranked of the sentences sharing most stems
    with the first of ``topics`` that any of them shares a stem with (the best when none does)."""
    for topic in topics:
        overlaps = {index: _overlap(topic, sentences[index]) for index in indices}
        most = max(overlaps.values(), default=0)
        if most > 0:
            return next(index for index in indices if overlaps[index] == most)
    return indices[0]


def unknown_premise_names(names: list[str]) -> str:
    """The correction that opens an answer whose premise names what no document mentions
    ("Since the signing was in Geneva, ..."): the documents' own account then follows."""
    quoted = " or ".join(f"“{name}”" for name in names)
    return f"No, the documents never mention {quoted}; "


def _value(word: str) -> int:
    lowered = word.lower()
    return int(lowered) if lowered.isdigit() else _CARDINALS.get(lowered) or _ORDINALS[lowered]


def _figures(text: str) -> list[tuple[int, str, str]]:
    """(value, unit kind, bound) of each figure in ``text``; the bound is "min", "max" or ""."""
    found = []
    for match in _FIGURE_RE.finditer(text):
        before = text[max(0, match.start() - 60) : match.start()]
        bound = "max" if _MAX_BOUND_RE.search(before) else "min" if _MIN_BOUND_RE.search(before) else ""
        found.append((_value(match.group("number")), _UNIT_KINDS[match.group("unit").lower()], bound))
    found += [(int(m.group("number")), "age", "") for m in _AGE_RE.finditer(text)]
    return found


def _figure_contradicts(question: str, sentence: str) -> bool:
    if _ASKS_FIGURE_RE.search(question):
        return False
    evidence = _figures(sentence)
    for value, unit, bound in _figures(question):
        same_unit = [(v, b) for v, u, b in evidence if u == unit or {u, unit} == {"age", "years"}]
        if not same_unit:
            continue
        equal = [b for v, b in same_unit if v == value]
        if not equal:
            return True
        if bound and all(b and b != bound for b in equal):
            return True
    return False


def _figure_topics(question: str) -> list[tuple[int, str, set[str]]]:
    """(value, unit kind, topic stems) of each figure in ``question``: the topic is what stands
    within ``_TOPIC_WORDS`` words of it ("statute of limitations"), less the documents' generic names."""
    topics = []
    for match in _FIGURE_RE.finditer(question):
        before = question[: match.start()].split()[-_TOPIC_WORDS:]
        after = question[match.end() :].split()[:_TOPIC_WORDS]
        stems = set(tokenize(" ".join(before + after))) - _GENERIC_STEMS
        topics.append((_value(match.group("number")), _UNIT_KINDS[match.group("unit").lower()], stems))
    return topics


def _asserted_figure_absent(question: str, sentences: Sequence[str]) -> bool:
    """A figure the question asserts (not one it asks for) that no sentence on its topic gives: "a
    five-year statute of limitations" is not confirmed by "five years" after entry into force."""
    if not _ASSERTS_RE.search(question) or _ASKS_FIGURE_RE.search(question):
        return False
    for value, unit, topic in _figure_topics(question):
        on_topic = [s for s in sentences if not topic or topic & set(tokenize(s))]
        if (value, unit) not in {(v, u) for s in on_topic for v, u, _ in _figures(s)}:
            return True
    return False


def _scope_contradiction(question: str, sentences: Sequence[str]) -> list[int]:
    """For "... for any offence at all, right?": those of ``sentences`` that limit it to "a range of
    serious criminal offences", unless one of them does speak of any offence."""
    if not (_ASSERTS_RE.search(question) and _ANY_OFFENCE_RE.search(question)):
        return []
    if any(_ANY_OFFENCE_RE.search(s) for s in sentences):
        return []
    return [index for index, s in enumerate(sentences) if _SOME_OFFENCES_RE.search(s)]


def _obligation_action(question: str) -> str:
    """What ``question`` asserts is required: up to ``_ACTION_WORDS`` words after its obligation word
    ("mandatory to criminalise attempted offences") or before it ("makes criminal trials of companies
    mandatory"); without any, its premise clause or the whole question."""
    made = _MADE_MANDATORY_RE.search(question)
    if made is not None and _action_stems(made.group("action")):
        return " ".join(made.group("action").split()[:_ACTION_WORDS])
    match = _OBLIGATION_RE.search(question)
    if match is None:
        return ""
    after = _ACTION_RE.match(question[match.end() :])
    action = " ".join(after.group("action").split()[:_ACTION_WORDS]) if after else ""
    return action if _action_stems(action) else premise_of(question) or question


def _action_stems(action: str) -> set[str]:
    return set(tokenize(action)) - _GENERIC_STEMS - _FRAME_STEMS


def _on_action(action: str, sentence: str) -> bool:
    """Is ``sentence`` about ``action``: does it share half of its stems, one at least, or half of the
    very stems of the glossary's treaty wording of its words ("companies" and "legal persons")?"""
    stems = _action_stems(action)
    if _overlap(stems, sentence) >= max(1, math.ceil(len(stems) / 2)):
        return True
    treaty_words = set(tokenize(" ".join(expansions(action)))) - stems - _GENERIC_STEMS
    shared = treaty_words & set(tokenize(sentence))  # the very stems: a glossary phrase is the text's wording
    return bool(treaty_words) and len(shared) >= max(1, math.ceil(len(treaty_words) / 2))


def _obligation_contradicts(question: str, sentence: str) -> bool:
    """An asserted obligation against a sentence about the same action that says "may" (not "shall"):
    a "may" about something else (an unrelated provision among the best) is no evidence."""
    return bool(
        _ASSERTS_RE.search(question)
        and _OBLIGATION_RE.search(question)
        and _MAY_RE.search(sentence)
        and not _SHALL_RE.search(sentence)
        and _on_action(_obligation_action(question), sentence)
    )


def _permission_contradicts(question: str, sentence: str) -> bool:
    if not _ASSERTS_RE.search(question):
        return False  # "Can a State refuse …?" asks; only a premise ("As States can refuse …") can be wrong
    lowered = question.lower()
    for match in _FORBIDDEN_RE.finditer(sentence):
        for verb in filter(None, match.groups()):
            stem = verb.lower()[:5]
            if _PERMISSION_RE.search(question) and re.search(rf"\b{re.escape(stem)}\w*", lowered):
                negated = re.search(rf"\b(?:not|n't|never|cannot)\s+(?:\w+\s+)?{re.escape(stem)}", lowered)
                if not negated:
                    return True
    return False


def _immediacy_contradicts(question: str, sentence: str) -> bool:
    return bool(_IMMEDIATE_RE.search(question) and _WAITING_RE.search(sentence))


def _exclusivity_contradicts(question: str, sentence: str) -> bool:
    """An asserted "only <X>" against a sentence about X that adds others ("also", "equally",
    "thereafter", "without"): it shares a stem of what the premise limits, besides the generic names."""
    if not _ASSERTS_RE.search(question) or not _INCLUSIVE_RE.search(sentence):
        return False
    for match in _ONLY_RE.finditer(question):
        limited = set(tokenize(match.group("what"))) - _GENERIC_STEMS - _FRAME_STEMS
        if limited and _overlap(limited, sentence) > 0:
            return True
    return False


_RULES = (
    (_permission_contradicts, "the text forbids it"),
    (_obligation_contradicts, "the text makes it optional"),
    (_immediacy_contradicts, "the text sets a waiting period"),
    (_exclusivity_contradicts, "the text does not limit it so"),
)


def contradicted_premise(question: str, sentences: Sequence[str]) -> Contradiction | None:
    """The sentence of ``sentences`` (best first) that the answer correcting what ``question`` takes
    for granted opens with, when the best of them contradict it by the rules above; None when none does.

    A figure is judged against the best sentences together (one of them giving the question's
    figure is enough to confirm it); an asserted figure, and an asserted "any offence", against all
    of ``sentences`` (the passages' sentences); the other rules sentence by sentence. The lead is the
    sentence, of the best ``LEAD_SENTENCES``, that contradicts the premise the same way and is most
    about it (``_lead_by_topic``).
    """
    best = list(sentences[:EVIDENCE_SENTENCES])
    window = range(min(LEAD_SENTENCES, len(sentences)))
    # The premise's own words choose, or else the treaty wording of its plain words; for a figure, what
    # it measures ("statute of limitations") comes first, not the figure's own words or its subject.
    topics = [premise_topic(question), premise_topic(question, expand=True)]
    measured = set().union(*(stems for _, _, stems in _figure_topics(question)))
    about = measured.union(*topics)
    if _figure_contradicts(question, " ".join(best)):
        contradicting = [i for i in window if _figure_contradicts(question, sentences[i])]
        lead = _lead_by_topic([measured, *topics], sentences, contradicting)
        return Contradiction(lead, "the text gives another figure", _overlap(about, sentences[lead]) > 0)
    limiting = _scope_contradiction(question, sentences)
    if limiting:
        lead = _lead_by_topic(topics, sentences, limiting)
        return Contradiction(lead, "the text limits it to some offences", _overlap(about, sentences[lead]) > 0)
    for sentence in best:
        for rule, reason in _RULES:
            if rule(question, sentence):
                contradicting = [i for i in window if rule(question, sentences[i])]
                lead = _lead_by_topic(topics, sentences, contradicting)
                return Contradiction(lead, reason, _overlap(about, sentences[lead]) > 0)
    if best and _asserted_figure_absent(question, sentences):
        lead = _lead_by_topic([measured], sentences, window)
        on_topic = _overlap(measured or about, sentences[lead]) > 0
        return Contradiction(lead, "the text sets no such figure", on_topic)
    return None
