"""Deontic modality: what a text says an actor shall, may, must not, need not or should try to do.

Each modal expression is classified into one of a few forces. A permission to refuse and the
absence of an obligation are the same force ("may refuse to extradite" = "nothing ... imposes an
obligation to extradite" = "is not obliged to extradite"), and so are a prohibition to refuse and
an obligation ("shall not decline to render assistance" = "shall render assistance").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from rag.verification.clauses import conditional_spans


class Force(StrEnum):
    OBLIGATION = "obligation"
    PERMISSION = "permission"
    PROHIBITION = "prohibition"
    NO_OBLIGATION = "no obligation"  # also: may refuse
    MUST_REFUSE = "obligation to refuse"
    SOFT = "soft obligation"  # shall endeavour, shall consider, is encouraged to
    SHOULD = "should"  # a paraphrase's "should": an obligation or a soft one
    CAN = "possibility"  # a paraphrase's "can": true of what is allowed and of what is required


@dataclass(frozen=True)
class Modal:
    force: Force
    start: int
    end: int
    surface: str
    actor_after: bool = False  # "requires / allows <actor> to": the actor follows the modal


_REFUSE = r"(?:refuse|decline|deny|reject|withhold|say no to|turn down)"
_BE = r"(?:is|are|be|being|was|were)"
_AUX = r"(?:shall|must|will|should|would|may|can|could)"
# What an obligation to try or to consider is written with: "shall", "have to", with an adverb ("shall also").
_SOFT_AUX = (
    rf"(?:shall|must|will|should|would|{_BE}\s+to|(?:has|have|had|needs?)\s+to)(?:\s+(?:only|also|further|still|"
    r"therefore|\w+ly))?"
)
# Longest and most specific first: a text position belongs to the first pattern that claims it.
_PATTERNS: tuple[tuple[str, Force, bool], ...] = (
    (
        r"nothing in this (?:convention|protocol|article)[^.;]{0,80}?shall be (?:interpreted|construed|"
        r"deemed) as (?:imposing|creating) an obligation to",
        Force.NO_OBLIGATION,
        False,
    ),
    # "nothing in the Convention obliges a State to extradite": no obligation, whoever is named.
    (
        r"nothing\b[^.;]{0,80}?\b(?:obliges|requires|compels|forces|imposes\s+(?:an?\s+|any\s+)?(?:obligation|duty)"
        r"(?:\s+on\s+[^.;]{1,40}?)?)(?=\s+(?:\w+\s+){0,4}?to\b)",
        Force.NO_OBLIGATION,
        False,
    ),
    (
        rf"(?:{_BE}\s+(?:not|under no)|(?:shall|will|may|must|need)\s+not\s+be)\s+(?:obliged|obligated|required|"
        rf"bound|compelled|obligation)\s+to",
        Force.NO_OBLIGATION,
        False,
    ),
    (
        r"(?:does|do|did)\s*(?:not|n't)\s+(?:have|need)\s+to|need\s+not|no\s+(?:obligation|duty|requirement)\s+to|"
        r"(?:does|do)\s*(?:not|n't)\s+(?:make|create|impose)\s+[^;.]{0,60}?\b(?:an?\s+)?(?:\w+\s+)?(?:obligation|duty|"
        r"requirement)\b",
        Force.NO_OBLIGATION,
        False,
    ),
    (r"(?:does|do)\s*(?:not|n't)\s+(?:require|oblige|compel|force)", Force.NO_OBLIGATION, True),
    # "it shall not be necessary for the offences to result in damage": they need not.
    (r"(?:shall|will|is|does)\s+not\s+(?:be\s+)?(?:necessary|needed)\s+(?:for|that|to)", Force.NO_OBLIGATION, False),
    (
        rf"(?:{_AUX}\s+(?:not|never)|cannot|can't)\s+be\s+(?:refused|declined|denied|rejected)(?:\s+(?:on|for|because|"
        rf"solely|only))?",
        Force.OBLIGATION,
        False,
    ),
    (rf"{_AUX}\s+(?:not|never)\s+{_REFUSE}|(?:cannot|can't|mustn't|shan't|won't)\s+{_REFUSE}", Force.OBLIGATION, False),
    # "cannot rely on bank secrecy to decline": shall not decline on that ground.
    (
        rf"(?:{_AUX}\s+(?:not|never)|cannot|can't)\s+(?:rely\s+on|invoke|use|cite)\s+[^,;.]{{1,60}}?\s+(?:to|as\s+"
        rf"(?:a\s+)?(?:reason|ground|grounds|basis)\s+(?:to|for))\s+{_REFUSE}",
        Force.OBLIGATION,
        False,
    ),
    # "should not prejudice X", like "shall be without prejudice to X": what X is stays as it is.
    (r"(?:shall|should|must|will)\s+not\s+(?:be\s+)?prejudic\w*", Force.OBLIGATION, False),
    (
        rf"(?:shall|must|will|(?:has|have)\s+to|{_BE}\s+(?:required|obliged|obligated|bound)\s+to)\s+{_REFUSE}",
        Force.MUST_REFUSE,
        False,
    ),
    # "shall not prevent X from disclosing": X may disclose.
    (r"(?:shall|must|will)\s+not\s+(?:prevent|preclude|prohibit|bar)", Force.PERMISSION, True),
    (
        rf"{_BE}\s+not\s+(?:allowed|permitted|entitled|authori[sz]ed)\s+to|{_BE}\s+(?:prohibited|forbidden|barred|"
        rf"banned)\s+(?:from|to)",
        Force.PROHIBITION,
        False,
    ),
    # "forbids States from adopting ...", "bans providers from": a prohibition on the actor that follows.
    (
        r"(?:forbids?|forbidding|forbade|prohibits?|prohibiting|bars|barring|bans|banning)(?=\s+[^.;]{1,60}?\b(?:from|"
        r"to)\b)",
        Force.PROHIBITION,
        True,
    ),
    (
        r"(?:shall|must|may|will|should|can)\s+(?:not|never)|cannot|can't|mustn't|shan't|won't",
        Force.PROHIBITION,
        False,
    ),
    (
        rf"(?:{_SOFT_AUX})\s+(?:endeavou?r|strive|seek|try|aim|make (?:every |all )?"
        rf"(?:reasonable )?efforts?|"
        rf"use (?:its|their) best efforts)(?:\s+to)?",
        Force.SOFT,
        False,
    ),
    (
        # "shall consider this Convention the legal basis" regards it as such: an obligation, not a soft one.
        rf"(?:{_SOFT_AUX})\s+(?:consider(?!\s+(?:this|that|the)\s+(?:convention|protocol|treaty|agreement)\s+(?:as\s+)?"
        rf"(?:the|a|an)\b)|give (?:due )?consideration to|take into (?:account|consideration))",
        Force.SOFT,
        False,
    ),
    (rf"{_BE}\s+(?:encouraged|invited|urged|called upon)\s+to|(?:endeavou?rs|strives|tries)\s+to", Force.SOFT, False),
    (r"(?:encourages|urges|invites|calls (?:up)?on)", Force.SOFT, True),
    (
        rf"(?:may|can)\s*,[^;:]{{1,120}}?,\s*{_REFUSE}|(?:{_AUX}\s+)?(?:may|can)\s+{_REFUSE}|"
        rf"(?:may|can)\s+(?:also\s+|further\s+|\w+ly\s+)?be\s+(?:refused|declined|denied|rejected)|"
        rf"{_BE}\s+(?:allowed|permitted|entitled|free)\s+to\s+{_REFUSE}|(?:may|can)\s+(?:choose|decide|"
        rf"opt)\s+not\s+to",
        Force.NO_OBLIGATION,
        False,
    ),
    # "shall be open for signature by ...": they may sign.
    (
        r"(?:shall|will)\s+(?:also\s+)?be\s+open\s+(?:for|to)\s+(?:signature|accession|ratification)",
        Force.PERMISSION,
        False,
    ),
    (
        rf"(?:{_BE}\s+(?:allowed|permitted|entitled|free|authori[sz]ed|empowered)\s+to|(?:has|"
        rf"have)\s+(?:the )?(?:right|option|discretion|power)\s+to|retains? the right to|reserves? the right to|"
        rf"may\s+(?:choose|decide|opt)\s+to|may)",
        Force.PERMISSION,
        False,
    ),
    (r"can|could|(?:is|are) able to", Force.CAN, False),
    # "shall adopt measures to empower its authorities to order ...": the authorities may order.
    (
        r"(?:allows|permits|lets|entitles|authori[sz]es|empowers|enables|empower|authori[sz]e|entitle)",
        Force.PERMISSION,
        True,
    ),
    (r"should", Force.SHOULD, False),
    (
        rf"shall|must|will|(?:has|have|had)\s+to|{_BE}\s+(?:required|obliged|obligated|bound|expected)\s+to|"
        rf"needs?\s+to|(?:has|have)\s+(?:an?\s+)?(?:obligation|duty)\s+to|{_BE}\s+under\s+an?\s+obligation\s+to|"
        rf"{_BE}\s+responsible\s+for",
        Force.OBLIGATION,
        False,
    ),
    (
        r"(?:requires|requiring|obliges?|obliging|obligates?|mandates?|compels?|compelling|commits)",
        Force.OBLIGATION,
        True,
    ),
    # "makes it mandatory to criminalise attempt", "attempt is compulsory": an obligation in everyday words.
    (r"(?:mandatory|compulsory|obligatory)", Force.OBLIGATION, False),
    # Causatives: "make service providers keep ...", the obliged actor follows.
    (
        r"(?:make|makes|made|force|forces|forcing|get|gets)(?=\s+(?:the\s+|a\s+|an\s+|their\s+|its\s+|all\s+|"
        r"any\s+)?(?:service\s+)?(?:providers?|compan(?:y|ies)|platforms?|persons?|individuals?|authorit(?:y|ies)|"
        r"states?)\b)",
        Force.OBLIGATION,
        True,
    ),
)
_COMPILED = tuple((re.compile(rf"\b(?:{p})\b", re.IGNORECASE), force, after) for p, force, after in _PATTERNS)
# Modal words that are not deontic here: definitions ("shall mean"), epistemic "may" in relative
# clauses ("offences that may be committed", "as may be necessary"), "as the case may be", and a
# modal under "nothing" ("nothing in this Convention shall entitle ..."), which is polarity's.
_NOT_DEONTIC_RE = re.compile(
    r"\bnothing\b[^.;]{0,80}?\b(?:shall(?:\s+(?:entitle|permit|allow|authori[sz]e|empower))?|entitles|permits|allows)\b(?!\s+be\s+(?:interpreted|"
    r"construed|deemed)\s+as\s+(?:imposing|creating)\s+an\s+obligation)|"
    r"\b(?:shall (?:mean|include|be (?:understood|deemed))|(?:as|that|which|who|whatever|this|what)\s+(?:may|"
    r"might|can|could|will)\b|it\s+(?:may|might|can|could|will)\s+be\b|as the case may be|may be necessary|"
    r"may have been|will be\b(?=[^.;]{0,30}\bdeposited)|"
    # "as far as its legal system allows", "to the extent domestic law permits": a condition, not a frame.
    r"\b(?:as far as|so far as|to the extent(?: that)?|insofar as|in so far as)\b[^,;.]{0,60}?\b(?:allows?|"
    r"permits?|requires?|provides?)\b|"
    # "if the parties cannot agree": an inability that sets a condition, not a prohibition.
    r"\b(?:if|where|when|unless|once)\b(?:\s*,[^,;.]{0,60},)?[^,;.]{0,60}?\b(?:cannot|can't|could not)\b"
    r"(?:\s+or\s+(?:should|must|may)\s+not\b)?|"
    # "cannot be read as allowing ...": how a text is interpreted, like "shall be interpreted as".
    r"\b(?:cannot|can't|(?:may|must|shall|should) not)\s+be\s+(?:read|interpreted|construed|understood|taken)\s+as\b)",
    re.IGNORECASE,
)
# "a State Party that requires a treaty", "a person who does not require it": a verb after a relative
# pronoun describes the noun before it; it is not the clause's modal.
_RELATIVE_BEFORE_RE = re.compile(r"\b(?:that|which|who)\s+(?:\w+ly\s+|also\s+|so\s+)?$", re.IGNORECASE)
# "the need to protect": a noun, not a modal.
_NOUN_NEED_RE = re.compile(r"\b(?:the|a|an|any|this|that|its|their|no)\s+need\s+to\b", re.IGNORECASE)


# The infinitives by which an obligation gives someone a power ("to empower its authorities to order").
_NESTED_PERMISSIONS = frozenset({"empower", "authorize", "authorise", "entitle"})


def is_nested_permission(modal: Modal) -> bool:
    """Whether ``modal`` is a power an obligation gives ("to empower its authorities to ..."), not a frame that
    ends the obligation's predicate."""
    return modal.surface.lower() in _NESTED_PERMISSIONS


def _described(text: str, start: int, actor_after: bool, conditions: tuple[tuple[int, int], ...]) -> bool:
    """Whether a modal word at ``start`` only describes: inside a condition, or a verb of a relative clause."""
    if any(a <= start < b for a, b in conditions):
        return True
    return actor_after and _RELATIVE_BEFORE_RE.search(text, max(0, start - 30), start) is not None


def modals(text: str) -> list[Modal]:
    """The deontic modal expressions of ``text``, in reading order.

    Modal words in a conditional clause ("if a State Party requires a treaty, it may ...") or as the
    verb of a relative clause ("a State Party that requires a treaty may ...") are not the text's frame.
    """
    taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in _NOT_DEONTIC_RE.finditer(text)]
    taken.extend((m.start(), m.end()) for m in _NOUN_NEED_RE.finditer(text))
    conditions = conditional_spans(text)
    found: list[Modal] = []
    for pattern, force, after in _COMPILED:
        for match in pattern.finditer(text):
            if any(match.start() < b and a < match.end() for a, b in taken):
                continue
            taken.append((match.start(), match.end()))
            if not _described(text, match.start(), after, conditions):
                found.append(Modal(force, match.start(), match.end(), match.group(0), after))
    found.sort(key=lambda m: m.start)
    return found


_COMPATIBLE = {
    (Force.SHOULD, Force.OBLIGATION),
    (Force.SHOULD, Force.SOFT),
    (Force.OBLIGATION, Force.SHOULD),
    (Force.SOFT, Force.SHOULD),
    # A sentence's "can" states a possibility, which an obligation, a permission or a soft one all give.
    (Force.CAN, Force.OBLIGATION),
    (Force.CAN, Force.PERMISSION),
    (Force.CAN, Force.SOFT),
    (Force.CAN, Force.SHOULD),
    (Force.PERMISSION, Force.CAN),
    # Where the passage only permits, or asks to consider or endeavour, nothing obliges.
    (Force.NO_OBLIGATION, Force.PERMISSION),
    (Force.NO_OBLIGATION, Force.SOFT),
    (Force.NO_OBLIGATION, Force.CAN),
}
# Pairs that differ only by a "not": reported as negation rather than modality.
_NEGATION_PAIRS = {
    frozenset({Force.OBLIGATION, Force.PROHIBITION}),
    frozenset({Force.PERMISSION, Force.PROHIBITION}),
    frozenset({Force.OBLIGATION, Force.NO_OBLIGATION}),
    frozenset({Force.SHOULD, Force.PROHIBITION}),
    frozenset({Force.CAN, Force.PROHIBITION}),
}


def compatible(claim: Force, passage: Force) -> bool:
    return claim == passage or (claim, passage) in _COMPATIBLE


def is_negation(claim: Force, passage: Force) -> bool:
    return frozenset({claim, passage}) in _NEGATION_PAIRS
