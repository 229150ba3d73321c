"""Polarity: a "not" dropped or added. Each sentence clause is compared with the passage clause that
grounds most of its words; the negations that bear on what the two share must agree in parity.

A negation reaches from its word to the next comma or the end of its clause. A passage negation
counts when that scope shares words with the sentence clause; a sentence negation counts when the
passage grounds its scope, since denying what the passage does not say is no contradiction ("No:
the convention does not define serious crime by a list of offences" against a definition by
penalty). Refusal verbs count as negations, so "may refuse to extradite" and "nothing ... imposes
an obligation to extradite" agree, and "shall not decline to assist" agrees with "must assist".
Fixed phrases that negate nothing ("not later than", "whether or not") are ignored, and so are saving
clauses, which leave what they name as it is however they are worded ("without prejudice to X",
"nothing in this Convention shall affect X", "does not rule out X").

A passage negation inside a condition ("if the contact point is not part of the authority, it shall
...") is about the condition: it bears on a sentence clause that states a condition, not on one that
states only what follows it. Two negations of the same word ("with which it has no treaty", "when it has
no treaty") pair even when the word carries no content of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.verification import modality, slots
from rag.verification.clauses import clauses, conditional_spans
from rag.verification.grounding import RegionWords, is_grounded, region_words
from rag.verification.modality import Force
from rag.verification.types import Conflict
from rag.verification.words import Token, blanked, content_tokens

MIN_CLAUSE_WORDS = 3
# The passage clause must ground this share of the sentence clause's content words.
MIN_CLAUSE_SHARE = 0.75
# A sentence negation counts when the passage clause grounds this share of its scope.
MIN_SCOPE_SHARE = 0.85
# A scope runs to the first comma after this many content words (or to the end of the clause).
MIN_SCOPE_WORDS = 1
TIE_BREAK = 0.1
# A passage negation bears on the sentence when its scope shares this many words with it (or half of them).
MIN_BEARING_WORDS = 2

_FIXED_RE = re.compile(
    r"\b(?:not (?:later|less|more|fewer|exceeding|only|limited to|necessarily)|no (?:later|less|more|fewer) than|"
    r"whether or not|if not|without (?:prejudice|delay|right|undue delay)|not(?:withstanding)|"
    # "shall not prejudice X", "in a manner not prejudicial to X": "without prejudice to X" in other words.
    r"(?:not|never)\s+(?:be\s+)?prejudic\w*|"
    # A saving clause in other words: "nothing in this Convention shall affect X", "does not rule out X".
    r"nothing\b[^.;]{0,80}?\b(?:(?:shall|will|does|is\s+to)\s+(?:be\s+)?)?(?:affect|prejudic|derogat)\w*|"
    r"not\s+(?:affect\w*|rul\w+\s+out|derogat\w*))\b",
    re.IGNORECASE,
)
_NEGATION_RE = re.compile(
    r"\b(?:prevent|prohibit|preclud|bar|shield|exempt)\w*(?=\s+(?:\S+\s+){0,4}?from\b)|"
    # "unless its law prevents it": "unless it is prevented from doing so by its law".
    r"\b(?:unless|if|where|when)\b[^,;.]{0,60}?\bprevent\w*(?=\s+(?:it|them|this|so)\b)|"
    # "non-consensual", "non-public": the prefix negates the word it is joined to ("non-governmental" names a kind).
    r"\bnon(?=-(?!governmental)\w)|"
    r"\b(?:not|never|no|nothing|neither|nor|none|cannot|unable|without|exclud\w*|absen(?:ce|t)|lack(?:s|ing)?|refus\w*|"
    r"declin\w*|"
    r"den(?:y|ies|ied|ial)|reject\w*|withh[oe]ld\w*)\b|n't\b",
    re.IGNORECASE,
)


_HEAD_RE = re.compile(r"[\s-]*(\w+)")
_MODAL_FORCES = frozenset({Force.NO_OBLIGATION, Force.MUST_REFUSE})
_REFUSAL_RE = re.compile(r"refus|declin|den(?:y|i)|reject|withh", re.IGNORECASE)


@dataclass(frozen=True)
class Negation:
    word: str
    scope: tuple[Token, ...]  # the content words it reaches
    head: str = ""  # the word it negates, the one after it, whether or not it carries content ("no treaty")
    conditional: bool = False  # inside a condition of its clause ("if it is not part of ...")


def negations(text: str) -> list[Negation]:
    """The negations of one clause, each with its scope.

    A refusal or an absence of obligation inside a modal expression ("does not require", "need
    not", "may refuse", "must refuse", "shall not decline") is modality, not polarity: ``frames``
    compares it with the passage's force, so its words are skipped here.
    """
    read_as_modality = [
        (modal.start, modal.end)
        for modal in modality.modals(text)
        if modal.force in _MODAL_FORCES or (modal.force is Force.OBLIGATION and _REFUSAL_RE.search(modal.surface))
    ]
    without_modals = blanked(_FIXED_RE.sub(lambda m: " " * len(m.group(0)), text), read_as_modality)
    found = []
    conditions = conditional_spans(text)
    matches = list(_NEGATION_RE.finditer(without_modals))
    for match in matches:
        rest = text[match.end() :]
        # A negation's scope is what it negates, not the negations inside it ("does not shield ... from").
        inner = [(m.start() - match.end(), m.end() - match.end()) for m in matches if m.start() >= match.end()]
        scope = tuple(t for t in content_tokens(rest) if not any(a <= t.start < b for a, b in inner))
        for comma in re.finditer(",", rest):
            inside = [t for t in scope if t.start < comma.start()]
            if len(inside) >= MIN_SCOPE_WORDS:
                scope = tuple(inside)
                break
        if match.group(0).lower() == "non":
            scope = scope[:1]  # "non-governmental organizations" negates "governmental" only
        head = _HEAD_RE.match(rest)
        conditional = any(a <= match.start() < b for a, b in conditions)
        word = match.group(0).lower().rstrip("-")
        found.append(Negation(word, scope, head.group(1).lower() if head else "", conditional))
    return found


def compare(claim_text: str, passage_text: str) -> list[Conflict]:
    """A negation conflict for each sentence clause whose negations and its best passage clause's differ in parity.

    A sentence negation whose scope shares a word with a passage negation's is that negation in
    other words, and the two cancel; of the rest, a passage negation counts when its scope shares
    words with the sentence clause, a sentence negation when the passage grounds its scope.
    """
    conflicts = []
    for a, b in clauses(claim_text):
        clause = claim_text[a:b]
        if len(content_tokens(clause)) < MIN_CLAUSE_WORDS:
            continue
        claim_region = region_words(clause)
        best = best_clause(clause, passage_text)
        if best is None:
            continue
        passage_region = region_words(passage_text)
        # A passage negation inside a condition bears only on a sentence clause that states a condition.
        theirs = [n for n in negations(best) if not n.conditional or conditional_spans(clause)]
        added: list[Negation] = []
        unpaired: list[Negation] = []
        for negation in negations(clause):
            partner = next((n for n in theirs if _same_negated(negation, n)), None)
            if partner is not None:
                theirs.remove(partner)
            elif negation.scope and _grounded_share(negation.scope, passage_region) >= MIN_SCOPE_SHARE:
                added.append(negation)
            else:
                unpaired.append(negation)
        # Of the passage's other negations, those about what the sentence says count; a negation in other
        # words ("do not forbid" for "not prohibited") pairs with one of them.
        theirs = [n for n in theirs if _bears_on(n, claim_region)]
        theirs = theirs[min(len(unpaired), len(theirs)) :]
        paired_added = min(len(added), len(theirs))
        added, theirs = added[paired_added:], theirs[paired_added:]
        if (len(added) + len(theirs)) % 2:
            conflicts.append(Conflict("negation", _reason(added, theirs), "clause"))
    return conflicts


def best_clause(claim_clause: str, passage_text: str) -> str | None:
    """The passage clause that grounds the sentence clause best, if one grounds enough of it.

    A list item is read with the clause that opens its list ("A Party may, without the
    authorisation of another Party: ... (b) access ..."), whose negations bear on every item.
    Between clauses that ground as much, the one the sentence covers most is meant.
    """
    words = content_tokens(claim_clause)
    claim_region = region_words(claim_clause)
    spans = clauses(passage_text)
    windows: list[str] = []
    lead = ""
    for start, end in spans:
        if not slots.is_list_item(passage_text, start) and content_tokens(passage_text[start:end]):
            lead = ""  # a list ends at a clause that is no item ("; or" between items is none)
        windows.append(f"{lead}{passage_text[start:end]}")
        if passage_text[end : end + 1] == ":":
            lead = f"{passage_text[start:end]}: "
    best_score, best = 0.0, None
    for text in windows:
        region = region_words(text)
        share = sum(is_grounded(t, region) for t in words) / len(words)
        score = share + TIE_BREAK * _covered(text, claim_region)
        if share >= MIN_CLAUSE_SHARE and score > best_score:
            best_score, best = score, text
    return best


def _bears_on(negation: Negation, claim_region: RegionWords) -> bool:
    """Does the passage negation's scope share enough words with the sentence clause to be about it?"""
    shared = sum(is_grounded(t, claim_region) for t in negation.scope)
    return shared > 0 and (shared >= MIN_BEARING_WORDS or 2 * shared >= len(negation.scope))


def _covered(passage_clause: str, claim_region: RegionWords) -> float:
    words = content_tokens(passage_clause)
    return sum(is_grounded(t, claim_region) for t in words) / len(words) if words else 0.0


def _same_negated(negation: Negation, other: Negation) -> bool:
    """Do two negations deny the same thing: their scopes share a word, or they negate the same word?"""
    return _shares(negation.scope, other.scope) or (bool(negation.head) and negation.head == other.head)


def _shares(scope: tuple[Token, ...], other: tuple[Token, ...]) -> bool:
    region = region_words(" ".join(t.surface for t in other))
    return any(is_grounded(t, region) for t in scope)


def _grounded_share(scope: tuple[Token, ...], region: RegionWords) -> float:
    return sum(is_grounded(t, region) for t in scope) / len(scope) if scope else 0.0


def _reason(added: list[Negation], dropped: list[Negation]) -> str:
    if added:
        return f'negation: the sentence says "{added[0].word}", the passage does not'
    return f'negation: the passage says "{dropped[0].word}", the sentence does not'


# "irrespective of whether the laws place the offence within the same category": what the passage says does not
# matter, a sentence must not make a condition of ("only if both States place the offence in the same category").
_IRRESPECTIVE_RE = re.compile(r"\b(?:irrespective|regardless) of (?:whether )?[^;.,]{1,160}", re.IGNORECASE)
_RESTRICTION_RE = re.compile(
    r"\b(?:only (?:if|when|where)|provided(?: that)?|as long as|on condition that)\b[^;.]{1,160}", re.IGNORECASE
)
# The restriction must ground this share of its words in what the passage says does not matter, and this many.
MIN_RESTRICTION_SHARE = 0.5
MIN_RESTRICTION_WORDS = 2


def compare_irrelevant(claim_text: str, passage_text: str) -> list[Conflict]:
    """A negation conflict when the sentence makes a condition of what the passage says does not matter, in its own
    words."""
    for irrelevant in _IRRESPECTIVE_RE.finditer(passage_text):
        # Only its own words count: not those the rest of the passage uses ("laws", "offence").
        rest = region_words(passage_text[: irrelevant.start()] + " " + passage_text[irrelevant.end() :])
        own = [t for t in content_tokens(irrelevant.group(0)) if not is_grounded(t, rest)]
        region = region_words(" ".join(t.surface for t in own))
        for restriction in _RESTRICTION_RE.finditer(claim_text):
            words = content_tokens(restriction.group(0))
            grounded = sum(is_grounded(t, region) for t in words)
            if grounded >= MIN_RESTRICTION_WORDS and grounded >= MIN_RESTRICTION_SHARE * len(words):
                said = " ".join(irrelevant.group(0).split()[:3])
                reason = f'negation: the passage says "{said} …", the sentence makes it a condition'
                return [Conflict("negation", reason, "irrelevant")]
    return []


# A saving clause and what it leaves as it is ("without prejudice to the rights of the defendant").
_SAVING_RE = re.compile(
    r"\b(?:without prejudice to|(?:shall|will|does|do|should)\s+not\s+(?:affect|prejudice|derogate from|be\s+"
    r"(?:construed|interpreted)\s+as\s+prejudicing)|nothing\b[^.;]{0,80}?\b(?:shall|will)\s+(?:affect|prejudice|"
    r"derogate from)|in a manner not prejudicial to)\s+(?P<saved>[^;.]{1,200})",
    re.IGNORECASE,
)
# What a sentence says a provision does to what a saving clause leaves as it is.
_IMPAIRS_RE = re.compile(
    r"\b(?:(?:replac|overrid|overrul|supersed|preclud|exclud|displac|prejudic|derogat)(?:e|es|ed|ing)|"
    r"(?:affect|limit|restrict|prevent|shield|diminish|impair|curtail|extinguish)(?:s|es|ed|ing)?|"
    r"tak(?:e|es|ing)\s+precedence\s+over)\b",
    re.IGNORECASE,
)
_CLAUSE_START_RE = re.compile(r"[,;:.(]\s*[^,;:.(]*$")
# The verb's object, up to the next comma, must ground this many of the saved words (all, if fewer).
MIN_SAVED_WORDS = 2
SAVED_WORDS = 12


def compare_saving(claim_text: str, passage_text: str) -> list[Conflict]:
    """A negation conflict when the sentence says a provision affects, replaces or limits what the passage's saving
    clause leaves as it is ("without prejudice to the criminal liability of natural persons" written as "replaces
    the criminal liability of the natural persons")."""
    saved = [content_tokens(m.group("saved"))[:SAVED_WORDS] for m in _SAVING_RE.finditer(passage_text)]
    if not saved:
        return []
    for verb in _IMPAIRS_RE.finditer(claim_text):
        opening = _CLAUSE_START_RE.search(claim_text, 0, verb.start())
        before = claim_text[opening.start() if opening else 0 : verb.start()]
        if _NEGATION_RE.search(_FIXED_RE.sub(" ", before)):
            continue  # "does not affect", "nothing ... shall limit": the sentence saves it too
        region = region_words(re.split(r"[,;:.]", claim_text[verb.end() :], maxsplit=1)[0])
        for words in saved:
            grounded = sum(is_grounded(t, region) for t in words)
            if words and grounded >= min(MIN_SAVED_WORDS, len(words)):
                said = verb.group(0)
                reason = f'negation: the passage leaves it as it is ("without prejudice"), the sentence says "{said}"'
                return [Conflict("negation", reason, "saving")]
    return []


# What a passage requires to be respected ("with due regard for the protection of privacy").
_REGARD_RE = re.compile(
    r"\b(?:with (?:due |full )?regard (?:to|for)|bearing in mind|taking (?:due )?(?:into account|into consideration|"
    r"account of)|having (?:due )?regard to|in (?:full )?respect (?:of|for)|with (?:full )?respect for)\s+"
    r"(?P<regarded>[^;.]{1,160})",
    re.IGNORECASE,
)
# A sentence that frees its subject from that regard ("need not take privacy into account").
_DISREGARD_RE = re.compile(
    r"\b(?:need\s+not|(?:does|do|did)\s*(?:not|n't)\s+(?:have|need)\s+to|(?:is|are)\s+not\s+(?:required|obliged|"
    r"bound)\s+to|without\s+(?:any\s+)?regard\s+(?:to|for)|regardless\s+of|irrespective\s+of|disregard\w*|"
    r"may\s+(?:ignore|override|set\s+aside))\b",
    re.IGNORECASE,
)
# The sentence frees it from the regard when what follows grounds this many of the regarded words (all, if fewer).
MIN_REGARDED_WORDS = 2
REGARDED_WORDS = 10
_OBJECT_END_RE = re.compile(r"[,;:.]|\b(?:if|when|where|unless|because|since)\b", re.IGNORECASE)
_WITHOUT_RIGHT_RE = re.compile(r"\bwithout\s+right\b", re.IGNORECASE)
_WITH_RIGHT_RE = re.compile(r"(?<!\bwithout\s)\bwith\s+right\b", re.IGNORECASE)


def compare_regard(claim_text: str, passage_text: str) -> list[Conflict]:
    """A negation conflict when the sentence lifts what the passage requires to be respected ("with due regard for
    privacy" written as "need not take privacy into account"), or says "with right" for "without right"."""
    if _WITHOUT_RIGHT_RE.search(passage_text) and _WITH_RIGHT_RE.search(claim_text):
        return [Conflict("negation", 'negation: the passage says "without right", the sentence "with right"', "regard")]
    regarded = [content_tokens(m.group("regarded"))[:REGARDED_WORDS] for m in _REGARD_RE.finditer(passage_text)]
    for lifted in _DISREGARD_RE.finditer(claim_text):
        # What it is freed from: the words up to the next condition or clause ("not obliged to help if ...").
        region = region_words(_OBJECT_END_RE.split(claim_text[lifted.end() :], maxsplit=1)[0])
        for words in regarded:
            if words and sum(is_grounded(t, region) for t in words) >= min(MIN_REGARDED_WORDS, len(words)):
                said = " ".join(lifted.group(0).split())
                reason = f'negation: the passage requires regard for it, the sentence says "{said}"'
                return [Conflict("negation", reason, "regard")]
    return []


# What a passage says holds either way ("whether paid or unpaid", "whether natural or juridical", "whatever his
# nationality"): a sentence that denies it of one of the cases ("an unpaid holder is not ...") says "not" where the
# passage does not.
_EITHER_WAY_RE = re.compile(
    r"\bwhether\s+(?:\w+\s+){0,2}?\w+\s+or\s+(?:\w+\s+){0,2}?\w+|\bwhatever\s+(?:his|her|its|their)\s+[^,;.]{1,60}",
    re.IGNORECASE,
)
# What a passage leaves out of what it defines ("any information ... other than traffic or content data").
_OTHER_THAN_RE = re.compile(
    r"\b(?:other\s+than|except(?:\s+for)?(?!\s+(?:as|where|when|if|to|in)\b)|excluding)\s+(?:the\s+)?[^,;.()]{1,60}",
    re.IGNORECASE,
)
# A sentence keeps an exclusion in its own words ("not", "apart from", "besides", "only").
_SENTENCE_EXCLUDES_RE = re.compile(
    r"\b(?:not|no|never|nor|other\s+than|except\w*|exclud\w*|apart\s+from|besides|save|but|only|without|non|"
    r"unless)\b|n't\b",
    re.IGNORECASE,
)
# The passage must ground this share of a sentence clause's words for the clause to be about it.
MIN_EITHER_WAY_SHARE = 0.6
# Of the words a passage phrase has of its own, the sentence must ground this many.
MIN_PHRASE_WORDS = 2


def _excepts_from_a_denial(passage_text: str, start: int) -> bool:
    """Is the exception at ``start`` made to what its clause denies ("no costs other than ...")?"""
    clause_start = max((a for a, b in clauses(passage_text) if a <= start), default=0)
    return _NEGATION_RE.search(passage_text[clause_start:start]) is not None


def _own_words(passage_text: str, found: re.Match[str]) -> tuple[Token, ...]:
    """The content words of ``found`` that the rest of the passage does not use."""
    rest = region_words(passage_text[: found.start()] + " " + passage_text[found.end() :])
    return tuple(t for t in content_tokens(found.group(0)) if not is_grounded(t, rest))


def compare_either_way(claim_text: str, passage_text: str) -> list[Conflict]:
    """A negation conflict when the sentence denies, of one case, what the passage says holds whichever the case."""
    passage_region = region_words(passage_text)
    for either in _EITHER_WAY_RE.finditer(passage_text):
        words = _own_words(passage_text, either)
        if not words:
            continue
        own = region_words(" ".join(t.surface for t in words))
        for a, b in clauses(claim_text):
            clause = claim_text[a:b]
            denied = [n for n in negations(clause) if n.scope]
            words = content_tokens(clause)
            if not denied or _grounded_share(words, passage_region) < MIN_EITHER_WAY_SHARE:
                continue
            if any(is_grounded(t, own) for t in content_tokens(clause)):
                said = " ".join(either.group(0).split())
                reason = f'negation: the passage says "{said}", the sentence says "{denied[0].word}"'
                return [Conflict("negation", reason, "either-way")]
    return []


def compare_excluded(claim_text: str, passage_text: str) -> list[Conflict]:
    """A negation conflict when the sentence includes what the passage leaves out ("other than content data").

    An exception to a denial ("shall not give rise to any costs other than those incurred for experts") affirms
    what it excepts: a sentence that says it ("costs for experts are borne by ...") says what the passage says.
    """
    if _SENTENCE_EXCLUDES_RE.search(claim_text):
        return []
    claim_region = region_words(claim_text)
    for excluded in _OTHER_THAN_RE.finditer(passage_text):
        if _excepts_from_a_denial(passage_text, excluded.start()):
            continue
        words = _own_words(passage_text, excluded)
        grounded = sum(is_grounded(t, claim_region) for t in words)
        if words and grounded >= MIN_PHRASE_WORDS and 2 * grounded >= len(words):
            said = " ".join(excluded.group(0).split()[:6])
            return [Conflict("negation", f'negation: the passage says "{said}", the sentence does not', "excluded")]
    return []
