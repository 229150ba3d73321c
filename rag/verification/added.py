"""Content a sentence adds: a condition, a name, a noun or a noun phrase that the passage does not hold.

"... the rights of journalists", "in Hanoi, Vienna and New York", "including social media
platforms", "provided it was committed by an organized group": a paraphrase may use its own
verbs and connectives, but the things it names must be in the passage. Among the sentence's
words the passage does not ground (``grounding``), a condition the sentence adds with two such
words, a capitalised name (an acronym counts as found when the passage spells it out), a word
with a noun ending ("procurement", "necessity") beside another ungrounded word, a noun for
people ("journalists") and two nouns in a row ("immigration status") count as added content;
other ungrounded words only lower the grounding score.
"""

from __future__ import annotations

import itertools
import re

from rag.verification.grounding import Grounding
from rag.verification.types import Conflict
from rag.verification.words import Token

# Endings of English nouns made from verbs and adjectives ("-tion", "-ment", "-ity"), singular or plural.
NOUN_ENDING_RE = re.compile(r"(?:tion|sion|ment|ity|ness|ism|ist|ure|ship|ance|ence|ancy|ency|cy)s?$")
MIN_NOUN_LETTERS = 6
# A lone ungrounded abstract noun is often the paraphrase's own word for a passage's ("manipulation"
# for "alteration"); it counts as added when another word is missing too. A noun for people
# ("journalists", "librarians") counts alone.
MIN_MISSING_FOR_NOUN = 2
# Not the verbs in "-sist" and "-xist" ("insists", "exists"): they name no one.
PERSON_ENDING_RE = re.compile(r"(?:(?<![sx])ist|ian)s?$")
# Endings of verb forms and adverbs: a word so ending is no part of an added noun phrase ("situations listed").
_NOT_NOUN_RE = re.compile(r"(?:ed|ing|ly)$")
# Between two words of one phrase: spaces, a hyphen, a possessive or a short preposition ("suspect's lawyer").
_SAME_PHRASE_RE = re.compile(r"[\s\-]*(?:'s\s+|’s\s+|\s+(?:of|the|in|for|a|an)\s+)*[\s\-]*")
# A condition the sentence adds ("provided it was committed by an organized criminal group") is
# added content when it holds this many words the passage does not ground.
_PROVISO_RE = re.compile(r"\b(?:provided(?: that)?|only (?:if|when|where)|unless|on condition that)\b", re.IGNORECASE)
_CLAUSE_END_RE = re.compile(r"[,;:.!?]")
MIN_MISSING_IN_PROVISO = 2
_SENTENCE_START_RE = re.compile(r"(?:^|[.:;!?\"“(]\s*)$")
_ACRONYM_RE = re.compile(r"[A-Z]{2,}s?")
_INITIAL_WORDS_RE = re.compile(r"[A-Za-z]+")
_SKIPPED_IN_ACRONYMS = frozenset({"of", "the", "and", "on", "for", "in"})
MIN_ACRONYM_LETTERS = 3  # two letters occur as initials of some two words of almost any passage


def compare(claim_text: str, passage_text: str, grounding: Grounding) -> list[Conflict]:
    """An ``extra`` conflict naming the first added condition, phrase, name or noun of the sentence, if any."""
    missing = grounding.missing_tokens
    for found in _PROVISO_RE.finditer(claim_text):
        end = _CLAUSE_END_RE.search(claim_text, found.end())
        stop = end.start() if end else len(claim_text)
        if sum(found.end() <= t.start < stop for t in missing) >= MIN_MISSING_IN_PROVISO:
            return [_conflict(" ".join(claim_text[found.start() : stop].split()), "condition")]
    for first, second in itertools.pairwise(missing):
        if (
            _SAME_PHRASE_RE.fullmatch(claim_text[first.end : second.start])
            and first.stem != second.stem
            and not any(_NOT_NOUN_RE.search(t.surface.lower()) for t in (first, second))
        ):
            return [_conflict(claim_text[first.start : second.end], "phrase")]
    for token in missing:
        if _is_name(claim_text, token) and not _spelled_out(token.surface, passage_text):
            return [_conflict(token.surface, "name")]
    for token in missing:
        word = token.surface.lower()
        if len(word) < MIN_NOUN_LETTERS:
            continue
        if PERSON_ENDING_RE.search(word):
            return [_conflict(token.surface, "person")]
        if len(missing) >= MIN_MISSING_FOR_NOUN and NOUN_ENDING_RE.search(word):
            return [_conflict(token.surface, "noun")]
    return []


def _is_name(claim_text: str, token: Token) -> bool:
    return token.surface[:1].isupper() and not _SENTENCE_START_RE.search(claim_text[: token.start])


def _spelled_out(word: str, passage_text: str) -> bool:
    """Does the passage spell out the acronym ``word`` ("NGOs": "non-governmental organizations")?"""
    if not _ACRONYM_RE.fullmatch(word):
        return False
    letters = word.rstrip("s").lower()
    if len(letters) < MIN_ACRONYM_LETTERS:
        return False
    initials = "".join(w[0] for w in _INITIAL_WORDS_RE.findall(passage_text.lower()) if w not in _SKIPPED_IN_ACRONYMS)
    return letters in initials


def _conflict(words: str, rule: str) -> Conflict:
    return Conflict("extra", f'not in the passage: "{words}"', rule)
