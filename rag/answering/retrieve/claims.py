"""Read a question that quotes someone: who is quoted, and what is actually asked.

"A newspaper says the treaty forces firms to hand over encryption keys - is that true?" asks
about the claim, not about the newspaper: the newspaper is the claim's source, and the
documents answer the claim. So retrieval, the answerability features and the unknown-name rule
read only the asked part, and the answer says, besides, that the documents do not record what
the source said. A question about the source itself ("What did Human Rights Watch say about
the treaty?", "The Guardian says X. What are its arguments?") is not read this way: the source
is then what is asked, and its name counts like any other. A source that one of the documents
records as a speaker ("US officials said ...", quoted by the news report) is searched with the
claim, so that the report quoting it is found too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.documents import Registry, builtin_registry

# Verbs that attribute a claim to a source ("says", "warned", "told me").
_ATTRIBUTING_VERB = (
    r"(?:says|said|claims|claimed|warns|warned|argues|argued|writes|wrote|reports|reported|insists|insisted|"
    r"alleges|alleged|estimates|estimated|suggests|suggested|believes|believed|thinks|thought|maintains|"
    r"asserts|asserted|tweeted|posted|stated|explained|complains|complained|keeps saying|kept saying|"
    r"told|tells)"
)
# Who a verb like "told" was said to, and a short adverbial ("on TV", "in parliament") before "that".
_HEARER = r"(?:\s+(?:me|us|him|her|them|listeners|viewers|readers|reporters|parliament|journalists|the press))?"
_ADVERBIAL = r"(?:\s+(?:on|in|at|during|last|this|yesterday|recently|repeatedly|publicly|openly)(?:\s+[\w-]+){0,2})?"
# "Someone <verb> [to whom] [where] [that] <claim>": the source is the sentence's subject.
_SAID_RE = re.compile(
    rf"^(?P<source>[A-Z][^.?!;:]{{1,90}}?)\s+(?P<verb>{_ATTRIBUTING_VERB}){_HEARER}{_ADVERBIAL}"
    r"(?:\s+that)?[\s,:]+(?P<claim>\S.*)$",
    re.DOTALL,
)
# "According to <source>, <claim>" and "I read in <source> that <claim>".
_ACCORDING_RE = re.compile(r"^According to (?P<source>[^,]{2,90}),\s*(?P<claim>\S.*)$", re.DOTALL | re.IGNORECASE)
_HEARD_RE = re.compile(
    r"^I (?:read|heard|saw|was told)(?P<source>(?:\s+(?:in|on|from|at)\s+[^,]{2,60}?)?)\s+that\s+(?P<claim>\S.*)$",
    re.DOTALL,
)
# A subject that is a question word, or the documents themselves, does not attribute a claim:
# "What did X say", "The treaty says", "Article 6 states".
_NOT_A_SOURCE_RE = re.compile(
    r"^(?:what|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|can|could|may|might|must|"
    r"shall|should|will|would|has|have|had)\b"
    r"|\b(?:treaty|treaties|convention|conventions|article|articles|protocol|resolution|chapter|preamble|text|"
    r"note|notes|provision|provisions|paragraph|it|this|that)\b"
    r"|\b(?:is|are|was|were|be|been|being)$",  # "Microsoft is said to have ...": a claim about Microsoft
    re.IGNORECASE,
)
# The asked part points back at the source: then the source is what is asked about.
_ABOUT_SOURCE_RE = re.compile(
    r"\b(?:its|their|his|her)\s+(?:\w+\s+)?(?:arguments?|objections?|position|view|views|reasons?|sources?|"
    r"evidence|criticism|concerns?|opinion|motives?|report|article|editorial|claim|claims|proposals?)\b"
    r"|\b(?:why|how|on what basis) (?:does|did|do) (?:he|she|it|they)\b"
    r"|\bwho (?:is|are|was|were) (?:he|she|they)\b",
    re.IGNORECASE,
)
_MIN_CLAIM_WORDS = 3
# "Since <premise>, <question>": what the question takes for granted before it asks.
_PREMISE_RE = re.compile(
    r"^(?:since|given that|as|because|now that|once|considering that)\s+(?P<premise>[^,?]{5,200}),\s*(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
# "Is it true that <claim>?", "Am I right that <claim>?": a claim put up for confirmation.
_IS_IT_TRUE_RE = re.compile(
    r"^(?:is it (?:true|right|correct|the case|so)|am i (?:right|correct)|is it correct to say|"
    r"would it be (?:right|correct|fair) to say)\s+that\s+(?P<claim>\S.*?)\s*\?*$",
    re.IGNORECASE | re.DOTALL,
)
# "<claim>, doesn't it?", "<claim>, right?": a claim with a tag asking to confirm it.
_TAGGED_RE = re.compile(
    r"^(?P<claim>\S[^?]*?)(?:,?\s+(?:is|does|do|are|has|have|can|will|would|should)n'?t (?:it|they|there|she|he)"
    r"|,\s*(?:right|correct|true))\s*\?$",
    re.IGNORECASE | re.DOTALL,
)
# "<claim>. Is that right?", "<claim> - is that true?", "<claim>. Is there such an obligation?": a claim,
# then a short question asking whether it holds.
_CONFIRMED_RE = re.compile(
    r"^(?P<claim>\S[^?]*?)\s*(?:[.!;:]|\s[-\u2013\u2014])\s+(?:is|was|are)\s+(?:that|this|it|there)\b[^.?]{0,40}\?$",
    re.IGNORECASE | re.DOTALL,
)
# A question word or an auxiliary opening a "claim" makes it a question ("What counts as serious crime - is
# there a minimum?", "Is that provision correct?").
_ASKING_RE = re.compile(
    r"(?:what|which|who|whom|whose|when|where|why|how|is|are|was|were|does|do|did|can|could|may|must|shall|"
    r"should|will|would|has|have)\b",
    re.IGNORECASE,
)
# Said after the answer to a quoted claim whose source the documents do not mention.
SOURCE_REMARK = "The documents do not record what {source} said; this answer is what the text itself says."


@dataclass(frozen=True)
class QuestionReading:
    """A question split into the source it quotes (if any) and the part that is asked."""

    question: str
    asked: str
    source: str | None = None
    # What the asked part takes for granted in an opening clause ("Since ..., ..."), if anything.
    premise: str | None = None
    # The source names a document of the registry ("US officials": the news report quoting them).
    source_is_documented: bool = False

    @property
    def searched(self) -> str:
        """What retrieval searches: the asked part, or the whole question when the source is a
        speaker one of the documents records, so that the document quoting it is found too."""
        return self.question if self.source_is_documented else self.asked

    @property
    def relied_on(self) -> str:
        """The words whose names the question relies on: the asked part less its premise clause,
        whose names are claims to check, not what is asked about."""
        if self.premise is None:
            return self.asked
        match = _PREMISE_RE.match(self.asked)
        return match.group("rest") if match else self.asked

    @property
    def asserted(self) -> str | None:
        """The claim the question asserts rather than asks, to be checked against the text: its premise
        clause ("Since <claim>, ..."), the claim it quotes ("A blogger says <claim>. Is that right?") or
        puts up for confirmation ("Is it true that <claim>?", "<claim>, doesn't it?"); None when it
        only asks. A quoted claim followed by a question of another kind ("Access Now says X. What
        safeguards does the text contain?", "A newspaper says X. Which countries?") is not put up for
        confirmation: what is asked is the question, and the claim is left to the source."""
        if self.premise is not None:
            return self.premise
        return asserted_claim(self.asked)

    @property
    def quotes_someone(self) -> bool:
        return self.source is not None

    def remark(self, recorded: bool) -> str | None:
        """The sentence that follows the answer when the documents do not record the source
        (``recorded`` is False); None when the question quotes no one or the source is recorded."""
        if self.source is None or recorded:
            return None
        source = self.source
        if source.split()[0] in ("A", "An", "The", "Our", "My", "Some", "Someone", "Critics", "People"):
            source = source[0].lower() + source[1:]
        return SOURCE_REMARK.format(source=source)


def read_question(question: str, registry: Registry | None = None) -> QuestionReading:
    """The source a question quotes and the claim it asks about; the whole question is asked
    when it quotes no one or asks about the source itself. ``registry`` (default: the built-in
    one) tells whether the source names a document."""
    stripped = question.strip()
    for pattern in (_ACCORDING_RE, _HEARD_RE, _SAID_RE):
        match = pattern.match(stripped)
        if match is None:
            continue
        source = match.group("source").strip(" ,") or "someone"
        claim = match.group("claim").strip()
        if pattern is _SAID_RE and _NOT_A_SOURCE_RE.search(source):
            continue
        if len(claim.split()) < _MIN_CLAIM_WORDS or _ABOUT_SOURCE_RE.search(claim):
            break
        asked = claim[0].upper() + claim[1:]
        documented = bool((registry or builtin_registry()).read(source).documents)
        return QuestionReading(question, asked, source, premise_of(asked), documented)
    return QuestionReading(question, question, None, premise_of(question))


def premise_of(asked: str) -> str | None:
    match = _PREMISE_RE.match(asked.strip())
    return match.group("premise") if match else None


def asserted_claim(asked: str) -> str | None:
    """The claim ``asked`` puts up for confirmation ("Is it true that <claim>?", "<claim>, doesn't it?",
    "<claim>. Is that right?"), without its tag; None when it asks without asserting."""
    stripped = asked.strip()
    for pattern in (_IS_IT_TRUE_RE, _CONFIRMED_RE, _TAGGED_RE):
        match = pattern.match(stripped)
        if match is not None:
            claim = match.group("claim").strip(" ,;:-\u2013\u2014")
            if len(claim.split()) >= _MIN_CLAIM_WORDS and not _ASKING_RE.match(claim):
                return claim[0].upper() + claim[1:]
    return None
