"""Who a text speaks of: State Party, requesting or requested State, service provider, authority, ...

Roles are found by patterns over the text; a sentence may name a role in plain words ("the
country that made the request", "tech companies"). Roles of the State family are compatible
with one another except the requesting and the requested State.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    REQUESTING_STATE = "the requesting State"
    REQUESTED_STATE = "the requested State"
    CONFERENCE = "the Conference of the States Parties"
    SECRETARY_GENERAL = "the Secretary-General"
    UNODC = "UNODC"
    SERVICE_PROVIDER = "the service provider"
    AUTHORITY = "the competent authority"
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
    (r"(?:the )?conference(?: of (?:the )?(?:states )?parties)?\b", Role.CONFERENCE),
    (r"secretary[- ]general", Role.SECRETARY_GENERAL),
    (r"united nations office on drugs and crime|\bunodc\b", Role.UNODC),
    (
        r"(?:communications? )?service providers?|(?:internet|tech(?:nology)?|telecom(?:munications?)?|phone|"
        r"online)\s+(?:compan(?:y|ies)|firms?|providers?)|\bisps?\b|platforms?|providers?",
        Role.SERVICE_PROVIDER,
    ),
    (
        r"(?:competent|central|judicial|designated)\s+authorit(?:y|ies)|authorit(?:y|ies)|police|"
        r"law enforcement(?: agencies| authorities)?|prosecutors?",
        Role.AUTHORITY,
    ),
    (
        r"(?:natural |the |a |any |that |such )?persons?\b(?<!legal persons)|individuals?|someone|anyone|"
        r"the accused|suspects?|alleged offenders?|the offender|people",
        Role.PERSON,
    ),
    (
        r"(?:each|every|a|any|the|that|its|other|another|both|all)?\s*states?(?:\s+part(?:y|ies))?\b|part(?:y|"
        r"ies)\b|countr(?:y|ies)|governments?|signator(?:y|ies)|member states",
        Role.STATE_PARTY,
    ),
)
_COMPILED = tuple((re.compile(rf"\b(?:{p})", re.IGNORECASE), role) for p, role in _PATTERNS)
_LEGAL_PERSON_RE = re.compile(r"\blegal persons?\b", re.IGNORECASE)
_STATE_FAMILY = frozenset({Role.STATE_PARTY, Role.REQUESTING_STATE, Role.REQUESTED_STATE, Role.AUTHORITY})


def mentions(text: str) -> list[Mention]:
    """Role mentions of ``text`` in reading order (longer, more specific patterns win)."""
    taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in _LEGAL_PERSON_RE.finditer(text)]
    found: list[Mention] = []
    for pattern, role in _COMPILED:
        for match in pattern.finditer(text):
            if not match.group(0).strip() or any(match.start() < b and a < match.end() for a, b in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append(Mention(role, match.start(), match.end()))
    found.sort(key=lambda m: m.start)
    return found


def compatible(claim: Role, passage: Role) -> bool:
    """Could ``claim`` name the same actor as ``passage``?"""
    if claim == passage or Role.PERSON in (claim, passage):
        return True  # "anyone prosecuted must enjoy ..." is about the person, not the obliged actor
    if {claim, passage} == {Role.REQUESTING_STATE, Role.REQUESTED_STATE}:
        return False
    return claim in _STATE_FAMILY and passage in _STATE_FAMILY
