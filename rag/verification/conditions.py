"""Qualifiers and conditions: a sentence that paraphrases a clause must keep the clause's condition.

"Each State Party shall, in accordance with its domestic law, ..." paraphrased as "States must
..." drops "in accordance with its domestic law". The condition counts as kept when the sentence
grounds one of its content words ("under national law", "if it sees it as appropriate").

A condition qualifies only part of a long clause: the words of its own comma-delimited segment
("additional criminal offences as appropriate"), or, when it stands alone between commas
("shall, as appropriate, consult"), the segments on either side. It is required only of a
sentence that paraphrases that part.

Most conditions temper a duty ("in accordance with its domestic law", "as appropriate", "where
possible", "when committed intentionally"): dropped from a sentence that states a duty, they make it
oblige more than the passage does; dropped from one that states a soft duty ("States are to consider
...", "asks States to ..."), they overstate nothing. Dropped from a permission or a plain statement
("a State may ...", "deleting data is an offence"), they count when the sentence restates the part
they qualify (``RESTATE_SHARE`` of its words), not when it only touches on it. A proviso ("provided
that", "only if", "unless") and what authorises an act ("upon securing a court warrant", "at the
request of") narrow whatever they are attached to, and count whatever the sentence's force.

In strict mode (``strict=True``), for a sentence that says one quoted sentence again, every
condition of the clause it aligns with must be kept, whatever the sentence's force or scope.
"""

from __future__ import annotations

import re

from rag.verification.clauses import clauses
from rag.verification.grounding import RegionWords, is_grounded, region_words
from rag.verification.modality import Force, modals
from rag.verification.types import Conflict
from rag.verification.words import Token, content_tokens, tokens

# The sentence paraphrases a passage clause when the clause grounds this share of its content words.
MIN_CLAUSE_SHARE = 0.6
# The sentence paraphrases the part a condition qualifies when it grounds this share of that part's
# content words (or at least MIN_SCOPE_WORDS of them).
MIN_SCOPE_SHARE = 0.34
MIN_SCOPE_WORDS = 2
# A segment with fewer content words than this beside its condition is a parenthesis ("shall, as
# appropriate, consult"): the condition qualifies the segments on either side.
MIN_OWN_WORDS = 2
# Conditions that, attached to a noun phrase rather than set off between commas, qualify only that
# phrase's extent ("additional criminal offences as appropriate"), not what the clause obliges.
NOUN_QUALIFIERS = frozenset({"appropriate"})
# A sentence whose subject is an article ("Article 30 of the convention concerns ...") names its topic:
# it need not repeat the article's conditions, but must not claim it covers every case.
_SUMMARY_RE = re.compile(
    r"\s*(?:articles?|art\.)\s*\d+[\w()]*(?:\s+of\s+(?:the\s+)?[\w\s-]{1,60}?)?\s+(?:concerns?|covers?|deals?|"
    r"requires?|sets?|provides?|addresses?|governs?|is about|protects?|criminali[sz]es?|establishes?|extends?)\b",
    re.IGNORECASE,
)

_LAW = r"(?:its|their|the)\s+(?:own\s+)?(?:domestic|national|internal)\s+(?:law|laws|legislation|legal system)"
CONDITIONS: dict[str, str] = {
    # "offences under its domestic law" says where the offence is made, not on what condition: no "under".
    "domestic_law": rf"(?:in accordance with|subject to|consistent with|pursuant to|in conformity with|"
    rf"without prejudice to|(?:as|to the extent|if|where|when) (?:permitted|provided|required|allowed) (?:by|for|under)"
    rf"(?: in)?)\s+{_LAW}|"
    r"in accordance with (?:the )?fundamental principles of (?:its|their) (?:domestic )?(?:law|legal system)",
    "appropriate": r"(?:where|as|when|if) (?:(?:it|they|the [\w ]{1,40}?) (?:deems?|considers?) (?:it |them )?|is )?"
    r"(?:appropriate|necessary)",
    # Which cases a statement covers, not how a duty is carried out: counts whatever the sentence's force.
    "cases": r"in appropriate cases|where (?:so )?warranted",
    "possible": r"(?:where|wherever|if|as far as) possible(?: and appropriate)?",
    "urgent": r"in (?:urgent|exceptional) (?:circumstances|cases)",
    "extent": r"to the extent (?:that |permitted |possible|consistent|necessary|appropriate)[^,;.]{0,80}|"
    r"to the (?:greatest|fullest|maximum) extent possible[^,;.]{0,60}",
    "intent": r"(?:when|where|if) committed intentionally|intentionally|wil?fully|knowingly|"
    r"with (?:the )?(?:\w+ )?intent(?: to| that)? [^,;.]{0,40}|with (?:the )?(?:fraudulent|dishonest|criminal) intent|"
    r"in bad faith[^,;.]{0,60}",
    "without_right": r"without right",
    "grounds": r"(?:if|where|when) (?:the )?requested state party has substantial grounds for believing",
    "proviso": r"(?:provided that|unless|on condition that|except (?:where|when|if|to the extent)|"
    r"only (?:if|where|when|on the basis of)|as a last resort)\s?[^;.]{0,100}",
    "request": r"(?:upon|on) (?:its |the )?request|(?:at|upon|on) the request of [^,;.]{0,60}|on a case-by-case basis",
    # What authorises a coercive act: a warrant, an order, due cause, a collective decision.
    "authority": r"(?:upon|after|on) (?:securing|obtaining|issuance of) (?:a |an |the )?[^,;.]{0,30}?(?:warrant|order)|"
    r"(?:where|when|if) (?:a |an |the )?[^,;.]{0,40}?(?:warrant|order) (?:is|has been) [^,;.]{0,30}?issued|"
    r"with (?:due|good|just) cause|by (?:a )?(?:unanimous|consensus) (?:decision|vote)",
    "agreed": r"on mutually agreed terms|subject to (?:bilateral|multilateral|such) (?:agreements|arrangements)",
    "purpose": r"for the purposes? of (?:specific )?criminal investigations(?: or proceedings)?|"
    r"for the purposes? of (?:committing|facilitating|carrying out) [^,;.]{0,60}|for favou?r or consideration",
    "capability": r"within its existing technical capability",
    "consent": r"with (?:the )?(?:lawful and voluntary )?consent of [^,;.]{0,60}",
}
# Words by which a sentence restates a condition of the family in its own way ("when the requesting State asks"
# for "at the request of the requesting State", "deliberately" for "intentionally").
RESTATED_BY: dict[str, str] = {
    "domestic_law": r"(?:domestic|national|internal|its own|their own|its|their) "
    r"(?:law|laws|legal systems?|legislation)",
    "request": r"(?:a|its|their|\w+'s?|on|upon|at the|if|when) (?:requests?|requested)|ask(?:s|ed|ing)?",
    "authority": r"warrants?|due cause|unanimous\w*",
    "intent": r"intent\w*|deliberate\w*|knowing\w*|wil?ful\w*|on purpose|bad faith|fraudulent\w*|dishonest\w*",
    "extent": r"extent|as (?:fully|far) as|(?:laws?|treaties) (?:allow|permit)\w*",
    "purpose": r"purpose\w*|in order to|so as to|to commit",
}
# An offence's "intentionally and without right" is one element, commonly stated by its first half: a sentence that
# keeps the intent ("intentionally", "with intent to") keeps "without right" too.
KEPT_WITH: dict[str, str] = {"without_right": "intent"}
# Conditions that temper a duty: they count only against a sentence that states one (``DUTY_FORCES``).
DUTY_CONDITIONS = frozenset({"domestic_law", "appropriate", "possible", "extent", "intent", "without_right"})
DUTY_FORCES = frozenset({Force.OBLIGATION, Force.SHOULD, Force.PROHIBITION, Force.MUST_REFUSE})
# A soft duty or no duty at all: what a condition tempers is already left to the State.
TEMPERED_FORCES = frozenset({Force.SOFT, Force.NO_OBLIGATION})
# A soft duty in a paraphrase's words ("asks States to consider", "are encouraged to").
_ASKED_RE = re.compile(
    r"\b(?:consider\w*|ask(?:s|ed)?|encourag\w+|invit\w+|urg\w+|endeavou?r\w*|tr(?:y|ies))\b", re.IGNORECASE
)
# A sentence that states no duty restates what a condition qualifies when it grounds this share of its words.
RESTATE_SHARE = 0.8
_COMPILED = {name: re.compile(rf"\b(?:{pattern})", re.IGNORECASE) for name, pattern in CONDITIONS.items()}
_RESTATED = {name: re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE) for name, pattern in RESTATED_BY.items()}
_SEGMENT_RE = re.compile(r",")
MAX_QUOTE = 60


def compare(
    claim_text: str, passage_text: str, matched: list[tuple[int, int]], *, strict: bool = False
) -> list[Conflict]:
    """A conflict for each condition of the paraphrased passage clause that the sentence leaves out.

    The paraphrased clauses are those the sentence's frames matched (``frames.compare``) and the
    passage clause that grounds most of the sentence's words, if it grounds enough: a frame often
    matches the clause that opens a list ("A request shall contain:") while the words are in an
    item ("(e) Where possible and appropriate, the identity ... of any person concerned"). Within
    a clause, a condition counts only when the sentence paraphrases the part it qualifies, unless
    ``strict``: then every condition of those clauses counts that the sentence does not keep.
    """
    claim_words = content_tokens(claim_text)
    if not claim_words:
        return []
    if _SUMMARY_RE.match(claim_text) and not strict:
        return _universal(claim_text, passage_text)
    paraphrased = list(dict.fromkeys([*matched, *_best_clause(claim_words, passage_text)]))
    leads = _lead_ins(passage_text)
    lead_ins = [leads[c] for c in paraphrased if c in leads]
    claim_region = region_words(claim_text)
    conflicts: list[Conflict] = _universal(claim_text, passage_text)
    forces = {m.force for m in modals(claim_text)}
    states_duty = bool(forces & DUTY_FORCES)
    tempered = bool(forces & TEMPERED_FORCES) or _ASKED_RE.search(claim_text) is not None
    for a, b in dict.fromkeys([*lead_ins, *paraphrased]):
        clause = passage_text[a:b]
        for name, pattern in _COMPILED.items():
            if name in DUTY_CONDITIONS and not states_duty and tempered and not strict:
                continue
            for found in pattern.finditer(clause):
                words = content_tokens(found.group(0))
                rest = clause[: found.start()] + " " + clause[found.end() :]
                restated = (
                    _states(name, claim_text)
                    or _compound_kept(found.group(0), claim_text)
                    or (name in KEPT_WITH and _states(KEPT_WITH[name], claim_text))
                )
                if not words or _kept(words, claim_region, rest, restated):
                    continue
                if strict:
                    conflicts.append(_dropped(found.group(0), name))
                    continue
                # A lead-in's condition covers every item of its list; another's only the part it qualifies.
                attached, scope = _scope(clause, found.start(), found.end())
                if attached and name in NOUN_QUALIFIERS:
                    continue
                if (a, b) not in lead_ins and not _paraphrases(claim_region, scope):
                    continue
                if name in DUTY_CONDITIONS and not states_duty and not _restates(claim_region, scope):
                    continue
                conflicts.append(_dropped(found.group(0), name))
    return conflicts


def _states(name: str, claim_text: str) -> bool:
    """Does the sentence state a condition of the family ``name``, in the passage's words or its own?"""
    return _COMPILED[name].search(claim_text) is not None or (
        name in _RESTATED and _RESTATED[name].search(claim_text) is not None
    )


def _dropped(condition: str, name: str) -> Conflict:
    quote = " ".join(condition.split())
    quote = quote if len(quote) <= MAX_QUOTE else quote[:MAX_QUOTE].rsplit(" ", 1)[0] + " …"
    return Conflict("condition", f'condition dropped: "{quote}"', name)


def _kept(words: tuple[Token, ...], claim_region: RegionWords, rest_of_clause: str, restated: bool) -> bool:
    """Does the sentence keep the condition made of ``words``?

    Its distinctive words, those the rest of the clause does not use too, are the evidence: the
    sentence must ground half of them ("substantial grounds for believing" is not kept by
    "believes"). A condition without distinctive words ("where appropriate" in a clause about "the
    most appropriate jurisdiction") is kept only when the sentence states a condition of its kind
    (``restated``).
    """
    if restated:
        return True
    rest = region_words(rest_of_clause)
    distinctive = [t for t in words if not is_grounded(t, rest)]
    if not distinctive:
        return False
    return sum(is_grounded(t, claim_region) for t in distinctive) * 2 >= len(distinctive)


_COMPOUND_RE = re.compile(r"\w+(?:-\w+)+")


def _compound_kept(condition: str, claim_text: str) -> bool:
    """Does the sentence repeat a hyphenated compound of the condition, with or without its hyphens?
    ("case by case" keeps "on a case-by-case basis", whose words are mostly too common to ground.)"""
    for compound in _COMPOUND_RE.findall(condition):
        spaced = r"[\s-]+".join(re.escape(part) for part in compound.split("-"))
        if re.search(rf"\b{spaced}\b", claim_text, re.IGNORECASE):
            return True
    return False


def _lead_ins(passage_text: str) -> dict[tuple[int, int], tuple[int, int]]:
    """Each list item's lead-in: the clause ending in a colon that opens the list the item belongs to."""
    leads: dict[tuple[int, int], tuple[int, int]] = {}
    lead: tuple[int, int] | None = None
    for a, b in clauses(passage_text):
        if lead is not None:
            leads[(a, b)] = lead
        closer = passage_text[b : b + 1]
        if closer == ":":
            lead = (a, b)
        elif closer in {".", "!", "?"}:
            lead = None
    return leads


# Words that make a sentence speak of every case: the passage must say so too.
# "every year" is a frequency, not a scope; "any person who ..." states its own restriction;
# "must all be", "are all" is "all" floated after its noun, which the sentence has already named.
# "any of them", "all of these" pick from the set already named; "for all their potential" concedes.
_QUANTIFIER_RE = re.compile(
    r"\b(?:any|every|(?<!\bfor\s)all(?!\s+(?:be|been|are|were|have|had)\b))\b"
    r"(?!\s+(?:day|week|month|year|hour|session)s?\b)(?!\s+of\s+(?:them|these|those|which|us)\b)"
    r"(?!(?:\s*,?\s+[\w'’-]+){1,6}?\s+(?:who|which|that|where|whose|in which)\b)",
    re.IGNORECASE,
)
_PASSAGE_QUANTIFIER_RE = re.compile(r"\b(?:any|all|every|each|whatever|whichever)\b", re.IGNORECASE)
_ALWAYS_RE = re.compile(
    r"\b(?:always|in (?:all|every|any) cases?|without exception|regardless of|fully|in full|completely|entirely|"
    r"anywhere|worldwide|at any time)\b",
    re.IGNORECASE,
)
_PASSAGE_ALWAYS_RE = re.compile(
    r"\b(?:always|in (?:all|every|any) cases?|without exception|regardless|irrespective|full\w*|"
    r"completely|entirely|in all circumstances|anywhere|worldwide|at any time|independent(?:ly)? of)\b",
    re.IGNORECASE,
)
QUANTIFIED_WORDS = 4  # a quantifier reaches this many words ahead ("any public or private entity")


def _universal(claim_text: str, passage_text: str) -> list[Conflict]:
    """A condition conflict when the sentence speaks of every case ("any crime", "always") and the passage does not."""
    always = _ALWAYS_RE.search(claim_text)
    if always and not _PASSAGE_ALWAYS_RE.search(passage_text):
        return [_universal_conflict(always.group(0))]
    quantified = [
        region_words(" ".join(t.surface for t in tokens(passage_text[m.end() :])[:QUANTIFIED_WORDS]))
        for m in _PASSAGE_QUANTIFIER_RE.finditer(passage_text)
    ]
    for found in _QUANTIFIER_RE.finditer(claim_text):
        # The quantified word itself, generic or not ("any one of", "any State's").
        following = tokens(claim_text[found.end() :])
        if not following:
            continue
        head = following[0]
        if not any(is_grounded(head, region) for region in quantified):
            return [_universal_conflict(claim_text[found.start() : found.end() + head.end])]
    return []


def _universal_conflict(words: str) -> Conflict:
    return Conflict("condition", f'condition dropped: the sentence says "{words}", the passage does not', "universal")


def _segments(clause: str) -> list[tuple[int, int]]:
    """The comma-delimited segments of a clause."""
    bounds = [0, *(m.start() for m in _SEGMENT_RE.finditer(clause)), len(clause)]
    return [(bounds[i] + (1 if i else 0), bounds[i + 1]) for i in range(len(bounds) - 1)]


def _scope(clause: str, start: int, end: int) -> tuple[bool, tuple[Token, ...]]:
    """Whether the condition at ``start:end`` is attached to words of its own segment, and the content words of
    the part of ``clause`` it qualifies: those words, or the segments on either side of a parenthesis."""
    segments = _segments(clause)
    inside = [i for i, (a, b) in enumerate(segments) if a < end and start < b]
    first, last = inside[0], inside[-1]
    own = content_tokens(clause[segments[first][0] : start] + " " + clause[end : segments[last][1]])
    if len(own) >= MIN_OWN_WORDS:
        return True, own
    before = clause[segments[first - 1][0] : segments[first - 1][1]] if first > 0 else ""
    after = clause[segments[last + 1][0] : segments[last + 1][1]] if last + 1 < len(segments) else ""
    return False, own + content_tokens(before + " " + after)


def _paraphrases(claim_region: RegionWords, scope: tuple[Token, ...]) -> bool:
    """Does the sentence speak of the part a condition qualifies? (Yes when that part has no content words.)"""
    if not scope:
        return True
    grounded = sum(is_grounded(t, claim_region) for t in scope)
    return grounded >= MIN_SCOPE_WORDS or grounded / len(scope) >= MIN_SCOPE_SHARE


def _restates(claim_region: RegionWords, scope: tuple[Token, ...]) -> bool:
    """Does the sentence restate the part a condition qualifies, not merely touch on it?"""
    if not scope:
        return True
    return sum(is_grounded(t, claim_region) for t in scope) / len(scope) >= RESTATE_SHARE


def _best_clause(claim_words: tuple[Token, ...], passage_text: str) -> list[tuple[int, int]]:
    best_share, best = 0.0, []
    for a, b in clauses(passage_text):
        region = region_words(passage_text[a:b])
        share = sum(is_grounded(t, region) for t in claim_words) / len(claim_words)
        if share > best_share:
            best_share, best = share, [(a, b)]
    return best if best_share >= MIN_CLAUSE_SHARE else []
