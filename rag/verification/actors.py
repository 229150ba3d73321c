"""Who a text speaks of: State Party, requesting or requested State, service provider, authority, ...

Roles are found by patterns over the text; a sentence may name a role in plain words ("the
country that made the request", "tech companies"). Roles of the State family are compatible
with one another except the two sides of a request or a transfer (requesting / requested,
sending / receiving).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rag.verification.words import TEXT_CACHE_SIZE


class Role(StrEnum):
    REQUESTING_STATE = "the requesting State"
    REQUESTED_STATE = "the requested State"
    SENDING_STATE = "the sending State"
    RECEIVING_STATE = "the receiving State"
    GENERAL_ASSEMBLY = "the General Assembly"
    COMMITTEE = "the Ad Hoc Committee"
    CONFERENCE = "the Conference of the States Parties"
    SECRETARY_GENERAL = "the Secretary-General"
    UN_SECRETARY_GENERAL = "the Secretary-General of the United Nations"
    COE_SECRETARY_GENERAL = "the Secretary General of the Council of Europe"
    UNODC = "UNODC"
    INTERNATIONAL_COURT = "the International Court of Justice"
    COMMITTEE_OF_MINISTERS = "the Committee of Ministers"
    CRIME_PROBLEMS_COMMITTEE = "the European Committee on Crime Problems"
    SERVICE_PROVIDER = "the service provider"
    FINANCIAL_INSTITUTION = "financial institutions"
    AUTHORITY = "the competent authority"
    COURT = "the court"
    COURT_OR_AUTHORITY = "courts or other competent authorities"
    CONTROLLER = "the controller"
    PROCESSOR = "the processor"
    DATA_SUBJECT = "the data subject"
    LEGAL_PERSON = "legal persons"
    PERSON = "the person"
    STATE_PARTY = "the State Party"


@dataclass(frozen=True)
class Mention:
    role: Role
    start: int
    end: int


_STATE = r"(?:state(?:\s+part(?:y|ies))?|part(?:y|ies)|country|countries|government)"
_PATTERNS: tuple[tuple[str, Role], ...] = (
    (
        rf"requesting\s+{_STATE}|{_STATE}\s+(?:that|which)\s+(?:made|makes|sent|sends|submitted|submits|is making|"
        rf"issued)\s+(?:the|a|its)\s+request|{_STATE}\s+(?:asking|making the request|seeking (?:the )?(?:help|"
        rf"assistance|extradition))",
        Role.REQUESTING_STATE,
    ),
    (
        rf"requested\s+{_STATE}|{_STATE}\s+(?:that|which)\s+(?:receives?|received|gets|got|is asked)|"
        rf"{_STATE}\s+(?:being asked|asked for (?:help|assistance))|receiving\s+{_STATE}\s+of\s+the\s+request",
        Role.REQUESTED_STATE,
    ),
    (
        rf"(?:sending|transmitting)\s+{_STATE}|{_STATE}\s+from\s+which\s+(?:the\s+)?(?:person|individual|prisoner)\s+"
        rf"(?:is|was|has been|had been)\s+transferred",
        Role.SENDING_STATE,
    ),
    (
        rf"receiving\s+{_STATE}|{_STATE}\s+to\s+which\s+(?:the\s+)?(?:person|individual|prisoner)\s+(?:is|was|has "
        rf"been|had been)\s+transferred",
        Role.RECEIVING_STATE,
    ),
    (r"general assembly", Role.GENERAL_ASSEMBLY),
    (r"(?:the )?ad hoc committee", Role.COMMITTEE),
    (
        r"(?:the )?conference(?: of (?:the )?(?:states )?parties(?: to (?:the|this) (?:convention|protocol))?)?\b",
        Role.CONFERENCE,
    ),
    (r"secretary[- ]general of the united nations|united nations secretary[- ]general", Role.UN_SECRETARY_GENERAL),
    (
        r"secretary[- ]general of the council of europe|council of europe(?:'s|’s)? secretary[- ]general",
        Role.COE_SECRETARY_GENERAL,
    ),
    (r"secretary[- ]general", Role.SECRETARY_GENERAL),
    (r"united nations office on drugs and crime|\bunodc\b", Role.UNODC),
    (r"international court of justice", Role.INTERNATIONAL_COURT),
    (r"committee of ministers", Role.COMMITTEE_OF_MINISTERS),
    (r"european committee on crime problems|\bcdpc\b", Role.CRIME_PROBLEMS_COMMITTEE),
    (
        r"(?:communications? )?service providers?|(?:internet|tech(?:nology)?|telecom(?:munications?)?|phone|"
        r"online)\s+(?:compan(?:y|ies)|firms?|providers?)|\bisps?\b|platforms?|providers?",
        Role.SERVICE_PROVIDER,
    ),
    # Banks as actors, not "bank records" or "bank secrecy".
    (
        r"banks\b|financial\s+institutions?|(?:the|a|any|each|every)\s+bank\b(?!\s+(?:secrecy|records?|accounts?))",
        Role.FINANCIAL_INSTITUTION,
    ),
    # A court decides; the authorities that investigate and prosecute are another actor.
    # "courts or other competent authorities": either a court or another authority may be meant.
    (r"courts?\s+or\s+(?:other\s+)?(?:competent\s+)?authorit(?:y|ies)", Role.COURT_OR_AUTHORITY),
    (r"courts?\b|judges?\b|tribunals?\b|magistrates?\b", Role.COURT),
    (r"(?:data\s+)?controllers?\b", Role.CONTROLLER),
    (r"(?:data\s+)?processors?\b", Role.PROCESSOR),
    (r"data\s+subjects?\b", Role.DATA_SUBJECT),
    (
        r"(?:competent|central|judicial|designated)\s+authorit(?:y|ies)|authorit(?:y|ies)|police|"
        r"law enforcement(?: agencies| authorities)?|prosecutors?",
        Role.AUTHORITY,
    ),
    (r"legal persons?|corporations?|compan(?:y|ies)", Role.LEGAL_PERSON),
    (
        r"(?:natural |the |a |any |that |such )?persons?\b|individuals?|someone|anyone|"
        r"the accused|suspects?|alleged offenders?|the offender|defendants?|custodians?|witness(?:es)?|people",
        Role.PERSON,
    ),
    (
        r"(?:each|every|a|any|the|that|its|other|another|both|all)?\s*states?(?:\s+part(?:y|ies))?\b|part(?:y|"
        r"ies)\b|countr(?:y|ies)|governments?|signator(?:y|ies)|member states",
        Role.STATE_PARTY,
    ),
)
_COMPILED = tuple((re.compile(rf"\b(?:{p})", re.IGNORECASE), role) for p, role in _PATTERNS)
_STATE_FAMILY = frozenset(
    {
        Role.STATE_PARTY,
        Role.REQUESTING_STATE,
        Role.REQUESTED_STATE,
        Role.SENDING_STATE,
        Role.RECEIVING_STATE,
        Role.AUTHORITY,
        Role.COURT_OR_AUTHORITY,
    }
)
# "The Secretary-General" may be either organization's: only the two named ones differ.
_SECRETARIES_GENERAL = frozenset({Role.SECRETARY_GENERAL, Role.UN_SECRETARY_GENERAL, Role.COE_SECRETARY_GENERAL})
_NAMED_SECRETARIES_GENERAL = frozenset({Role.UN_SECRETARY_GENERAL, Role.COE_SECRETARY_GENERAL})
_OPPOSITES = (
    frozenset({Role.REQUESTING_STATE, Role.REQUESTED_STATE}),
    frozenset({Role.SENDING_STATE, Role.RECEIVING_STATE}),
)


def mentions(text: str) -> list[Mention]:
    """Role mentions of ``text`` in reading order (longer, more specific patterns win)."""
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    for pattern, role in _COMPILED:
        for match in pattern.finditer(text):
            if not match.group(0).strip() or any(match.start() < b and a < match.end() for a, b in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append(Mention(role, match.start(), match.end()))
    found.sort(key=lambda m: m.start)
    return found


# Roles specific enough that a sentence naming one needs a passage that speaks of that actor somewhere:
# a passage on disclosure to "its competent authorities" says nothing of a requesting State's. Not the
# General Assembly: a resolution's paragraphs are its words without naming it.
NAMED_ROLES = frozenset(
    {
        Role.REQUESTING_STATE,
        Role.REQUESTED_STATE,
        Role.SENDING_STATE,
        Role.RECEIVING_STATE,
        Role.COMMITTEE,
        Role.CONFERENCE,
        Role.UN_SECRETARY_GENERAL,
        Role.COE_SECRETARY_GENERAL,
        Role.UNODC,
        Role.INTERNATIONAL_COURT,
        Role.COMMITTEE_OF_MINISTERS,
        Role.CRIME_PROBLEMS_COMMITTEE,
    }
)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def roles_of(text: str) -> frozenset[Role]:
    """The roles ``text`` mentions (a passage's, cached: it is read once per sentence checked against it)."""
    return frozenset(m.role for m in mentions(text))


_REQUEST_RE = re.compile(r"\brequest(?:s|ed|ing)?\b", re.IGNORECASE)
_REQUEST_SIDES = frozenset({Role.REQUESTING_STATE, Role.REQUESTED_STATE})


def absent(claim_text: str, passage_text: str) -> Mention | None:
    """The sentence's first mention of a named role (``NAMED_ROLES``) that the passage does not name: a plain "State
    Party" could be any side of a request, but a passage that names no requesting State does not speak of one.
    A passage about a request ("receives a request for extradition from another State Party") speaks of both
    sides of it, whatever it calls them; a passage that names one organization's Secretary-General speaks of no
    other's, however it calls that one later."""
    roles = roles_of(passage_text)
    if roles & _NAMED_SECRETARIES_GENERAL:
        # "The Secretary General" of a passage that names one organization's is that one's.
        roles -= {Role.SECRETARY_GENERAL}
    if _REQUEST_RE.search(passage_text):
        roles |= _REQUEST_SIDES
    for mention in mentions(claim_text):
        if mention.role in NAMED_ROLES and not any(_names(role, mention.role) for role in roles):
            return mention
    return None


def _names(passage: Role, claim: Role) -> bool:
    return passage == claim or ({claim, passage} <= _SECRETARIES_GENERAL and same_actor(claim, passage))


def compatible(claim: Role, passage: Role) -> bool:
    """Could ``claim`` name the same actor as ``passage``?"""
    if claim == passage or {claim, passage} & {Role.PERSON, Role.LEGAL_PERSON}:
        return True  # "anyone prosecuted must enjoy ..." is about the person, not the obliged actor
    return same_actor(claim, passage)


def same_actor(claim: Role, passage: Role) -> bool:
    """Could ``claim`` and ``passage``, in the same place of a clause, name the same actor?

    Unlike :func:`compatible`, a person is not a State, a provider or a body.
    """
    if claim == passage:
        return True
    if frozenset({claim, passage}) in _OPPOSITES:
        return False
    if {claim, passage} <= _SECRETARIES_GENERAL:
        return Role.SECRETARY_GENERAL in {claim, passage}
    if Role.COURT in {claim, passage}:
        # "each State Party's courts" are the State's; "courts or other competent authorities" include the courts.
        return {claim, passage} <= {Role.COURT, Role.STATE_PARTY, Role.COURT_OR_AUTHORITY}
    return claim in _STATE_FAMILY and passage in _STATE_FAMILY
