"""The document registry: each document's names, family and links, as data.

Built-in documents are described in ``rag/data/documents.toml``; an uploaded document gets an
entry derived from its own title and text at ingestion (``derive_names``), kept with the store's
manifest and editable. ``Registry.named_in`` reads which documents a question names.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

REGISTRY_FILE = Path(__file__).resolve().parent / "data" / "documents.toml"
KINDS = frozenset({"treaty", "protocol", "notes", "resolution", "news", "upload"})
SCOPES = frozenset({"default", "named"})
MAX_SHORT_TITLE_CHARS = 60


@dataclass(frozen=True)
class DocumentEntry:
    """What a document is called and how it relates to the others (see documents.toml)."""

    id: str
    title: str
    short_title: str
    aliases: tuple[str, ...] = ()
    family: str = ""
    annotates: str | None = None
    kind: str = "upload"
    scope: str = "default"
    absorbs: tuple[str, ...] = ()
    narrows_with_named: bool = False
    content_hash: str = ""
    plain_terms: str = ""

    @property
    def searched_by_default(self) -> bool:
        return self.scope == "default"

    @property
    def builtin(self) -> bool:
        return self.kind != "upload"

    @property
    def narrows_when_named(self) -> bool:
        """Named alone, it is the one document searched: an instrument searched only when named,
        or an upload (its names come from its own title, so naming it means it)."""
        return self.scope == "named" or self.kind == "upload"


@dataclass(frozen=True)
class Issuer:
    """A body that adopts instruments (the Council of Europe): an upload its text names gets its aliases."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class NameMatch:
    """One place where a question names a document."""

    doc_id: str
    alias: str
    start: int
    end: int

    def inside(self, other: NameMatch) -> bool:
        return (
            other.start <= self.start and self.end <= other.end and (other.end - other.start) > (self.end - self.start)
        )


@dataclass(frozen=True)
class Reading:
    """Which documents a question names, and whether it also says "the convention" loosely."""

    documents: list[str] = field(default_factory=list)
    generic: bool = False
    name_spans: tuple[tuple[int, int], ...] = ()  # where the question names the documents read


@dataclass(frozen=True)
class Registry:
    """Every document's entry, by id, with the rules that resolve loose names."""

    entries: dict[str, DocumentEntry]
    default_document: str
    generic_names: tuple[str, ...] = ()
    compare_pair: tuple[str, ...] = ()
    issuers: tuple[Issuer, ...] = ()

    def get(self, doc_id: str) -> DocumentEntry | None:
        return self.entries.get(doc_id)

    def short_title(self, doc_id: str, title: str) -> str:
        entry = self.entries.get(doc_id)
        return entry.short_title if entry else shorten(title)

    def with_entries(self, entries: Iterable[DocumentEntry]) -> Registry:
        """This registry plus ``entries`` (uploads); a built-in id keeps its built-in entry."""
        merged = dict(self.entries)
        for entry in entries:
            if not (entry.id in merged and merged[entry.id].builtin):
                merged[entry.id] = entry
        return replace(self, entries=merged)

    def family(self, doc_id: str) -> set[str]:
        entry = self.entries.get(doc_id)
        if entry is None or not entry.family:
            return {doc_id}
        return {e.id for e in self.entries.values() if e.family == entry.family}

    def of_kind(self, kind: str) -> list[str]:
        return [e.id for e in self.entries.values() if e.kind == kind]

    def annotations_of(self, doc_id: str, kind: str = "notes") -> list[str]:
        """Documents of ``kind`` that comment on ``doc_id`` (its interpretative notes)."""
        return [e.id for e in self.entries.values() if e.annotates == doc_id and e.kind == kind]

    def named_only(self) -> set[str]:
        return {e.id for e in self.entries.values() if not e.searched_by_default}

    def narrowing(self) -> set[str]:
        return {e.id for e in self.entries.values() if e.narrows_when_named}

    def by_content_hash(self) -> dict[str, DocumentEntry]:
        return {e.content_hash: e for e in self.entries.values() if e.content_hash}

    def read(self, question: str, known: set[str] | None = None) -> Reading:
        """Documents ``question`` names (most specific first), and whether it says "the convention".

        A name inside a longer name of another document does not count ("Hanoi" in "the Hanoi
        Convention"), nor a bare word another named document's name contains ("UN" beside
        "UN Convention against Corruption"). A generic name ("the convention") beside a document
        of another family than the default document's, or beside documents that only comment on
        the default document (its resolution, its notes), adds the default document: when in
        doubt, both are searched.
        """
        lowered = question.lower().replace("\u2019", "'")
        candidates = [e for e in self.entries.values() if known is None or e.id in known]
        matches = [
            NameMatch(entry.id, alias, m.start(), m.end())
            for entry in candidates
            for alias in entry.aliases
            for m in _alias_pattern(alias).finditer(lowered)
        ]
        matches += [m for entry in candidates if not entry.builtin for m in _title_runs(entry, lowered)]
        matches = [m for m in matches if not any(m.inside(o) and o.doc_id != m.doc_id for o in matches)]
        matches = self._resolve_shared_names(matches, lowered)
        order = {doc_id: index for index, doc_id in enumerate(self.entries)}
        # Most specific first: registry order (uploads after the built-ins), the default document last.
        ranked = sorted(matches, key=lambda m: (m.doc_id == self.default_document, order[m.doc_id]))
        found = list(dict.fromkeys(m.doc_id for m in ranked))
        absorbed = {alias for doc_id in found for alias in self.entries[doc_id].absorbs}
        found = [d for d in found if any(m.alias not in absorbed for m in matches if m.doc_id == d)]
        generic_spans = [
            m.span()
            for name in self.generic_names
            for m in _alias_pattern(name).finditer(lowered)
            if not any(o.start < m.end() and m.start() < o.end for o in matches if o.doc_id in found)
            and not _opens_a_name(lowered, m.end(), [o for o in matches if o.doc_id in found])
        ]
        generic = bool(generic_spans)
        default_known = known is None or self.default_document in known
        default_family = self.family(self.default_document)
        # "The convention adopted by resolution 79/243": a document that only comments on the default
        # document names it, and "the convention" is the default document itself.
        comments_only = all(self.entries[d].annotates == self.default_document for d in found)
        in_doubt = not default_family & set(found) or comments_only
        if generic and found and in_doubt and default_known and self.default_document not in found:
            found.append(self.default_document)
        spans = tuple(sorted({(m.start, m.end) for m in matches if m.doc_id in found}))
        return Reading(documents=found, generic=generic, name_spans=spans)

    def _resolve_shared_names(self, matches: list[NameMatch], lowered: str) -> list[NameMatch]:
        """``matches`` less the readings of a name several documents share ("Council of Europe": the
        Budapest Convention and an uploaded Convention 108) whose titles share fewer of the question's
        words than another's; when no title shares a word, every document keeps the name."""
        claimants: dict[tuple[int, int], list[NameMatch]] = defaultdict(list)
        for match in matches:
            claimants[(match.start, match.end)].append(match)
        words = set(re.findall(r"[\w.]+", lowered)) - _TITLE_FILLERS - _INSTRUMENT_WORDS
        dropped: set[NameMatch] = set()
        for shared in claimants.values():
            if len({m.doc_id for m in shared}) < 2:
                continue
            overlap = {m.doc_id: len(words & _title_words(self.entries[m.doc_id].title)) for m in shared}
            best = max(overlap.values())
            if best:
                dropped |= {m for m in shared if overlap[m.doc_id] < best}
        return [m for m in matches if m not in dropped]

    def name_spans(self, lowered: str) -> list[tuple[int, int]]:
        """Where any document's name occurs in ``lowered`` (for "is this a document name" checks)."""
        lowered = lowered.replace("\u2019", "'")
        return [
            m.span()
            for entry in self.entries.values()
            for alias in entry.aliases
            for m in _alias_pattern(alias).finditer(lowered)
        ]


#: Content words a question must share, in a row, with an upload's full title to name it ("the
#: convention on automatic processing of personal data"). Three would let "protection of personal
#: data" in a question about the UN convention name an uploaded data protection convention.
MIN_TITLE_RUN_WORDS = 4
_TITLE_FILLERS = frozenset(
    {"a", "an", "and", "by", "for", "in", "its", "of", "on", "or", "the", "to", "with", "regard"}
)


def _title_runs(entry: DocumentEntry, lowered: str) -> list[NameMatch]:
    """Where ``lowered`` quotes a run of at least ``MIN_TITLE_RUN_WORDS`` content words of ``entry``'s
    title, the longest run first: a user names an upload by the words of its title that say what it is."""
    for phrase in _title_phrases(entry.title):
        found = [NameMatch(entry.id, phrase, m.start(), m.end()) for m in _alias_pattern(phrase).finditer(lowered)]
        if found:
            return found
    return []


_CONJUNCTIONS = frozenset({"and", "or"})
# Words naming what kind of instrument a text is: a question says them of every document.
_INSTRUMENT_WORDS = frozenset({"convention", "treaty", "protocol", "act", "law", "agreement", "charter", "no."})


@cache
def _title_words(title: str) -> frozenset[str]:
    """The content words of a title, as a question may use them to say which document it means."""
    return frozenset(re.findall(r"[\w.]+", title.lower())) - _TITLE_FILLERS - _INSTRUMENT_WORDS


def _opens_a_name(lowered: str, end: int, names: list[NameMatch]) -> bool:
    """Whether a generic name ending at ``end`` ("the convention") runs into a document's name after
    filler words only ("the convention on automatic processing of personal data"): it is that name's head.
    A conjunction joins two names instead ("the convention and Budapest" names two documents)."""
    for match in names:
        between = lowered[end : match.start].split()
        opening = all(w in _TITLE_FILLERS and w not in _CONJUNCTIONS for w in between)
        if match.start >= end and len(between) <= 2 and opening:
            return True
    return False


@cache
def _title_phrases(title: str) -> tuple[str, ...]:
    """The runs of ``title`` that could name it, longest first: starting and ending on a content word,
    with at least ``MIN_TITLE_RUN_WORDS`` of them."""
    words = re.findall(r"[\w.]+", title.lower())
    runs = [words[i:j] for i in range(len(words)) for j in range(i + 1, len(words) + 1)]
    named = [
        run
        for run in runs
        if run[0] not in _TITLE_FILLERS
        and run[-1] not in _TITLE_FILLERS
        and sum(w not in _TITLE_FILLERS for w in run) >= MIN_TITLE_RUN_WORDS
    ]
    return tuple(" ".join(run) for run in sorted(named, key=len, reverse=True))


@cache
def _alias_pattern(alias: str) -> re.Pattern[str]:
    """A plain phrase as whole words, any spacing, optional plural "s" and possessive "'s"."""
    words = [re.escape(w) for w in alias.lower().split()]
    return re.compile(r"(?<!\w)" + r"(?:'s)?\s+".join(words) + r"(?:'s|s)?(?!\w)")


def _entry_from_table(table: dict[str, object]) -> DocumentEntry:
    known = {f for f in DocumentEntry.__dataclass_fields__}
    unknown = set(table) - known
    if unknown:
        raise ValueError(f"{REGISTRY_FILE.name}: unknown fields {sorted(unknown)} in entry {table.get('id')!r}")
    values = dict(table)
    for name in ("aliases", "absorbs"):
        values[name] = tuple(str(a) for a in values.get(name, ()))  # type: ignore[attr-defined]
    entry = DocumentEntry(**values)  # type: ignore[arg-type]
    if entry.kind not in KINDS or entry.scope not in SCOPES:
        raise ValueError(f"{REGISTRY_FILE.name}: entry {entry.id!r} has kind {entry.kind!r} / scope {entry.scope!r}")
    return entry


def load_registry(path: Path = REGISTRY_FILE) -> Registry:
    """The built-in documents' registry from ``path``; a malformed file raises ``ValueError``."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    entries = {}
    for table in data.get("document", []):
        entry = _entry_from_table(table)
        if entry.id in entries:
            raise ValueError(f"{path.name}: document {entry.id!r} is listed twice")
        entries[entry.id] = entry
    registry = Registry(
        entries=entries,
        default_document=str(data["default_document"]),
        generic_names=tuple(data.get("generic_names", ())),
        compare_pair=tuple(data.get("compare_pair", ())),
        issuers=tuple(
            Issuer(str(t["name"]), tuple(str(a).lower() for a in t.get("aliases", ()))) for t in data.get("issuer", [])
        ),
    )
    for doc_id in (registry.default_document, *registry.compare_pair):
        if doc_id not in entries:
            raise ValueError(f"{path.name}: {doc_id!r} is named as a default but has no entry")
    for entry in entries.values():
        if entry.annotates and entry.annotates not in entries:
            raise ValueError(f"{path.name}: {entry.id!r} annotates {entry.annotates!r}, which has no entry")
    return registry


@cache
def builtin_registry() -> Registry:
    """The registry of the built-in documents (read once)."""
    return load_registry()


# Upload entries of the stores this process has read, so that a citation label (computed from a
# passage alone) uses an upload's own short title, as edited, instead of its full title.
_known_uploads: dict[str, DocumentEntry] = {}


def remember_uploads(entries: Iterable[DocumentEntry]) -> None:
    """Record the upload entries of a store just read (``Retriever.view`` calls this)."""
    _known_uploads.update({e.id: e for e in entries if not e.builtin})


def short_title(doc_id: str, title: str) -> str:
    """The short name used in citations: the registry's, else the upload's entry, else the title shortened."""
    entry = builtin_registry().get(doc_id) or _known_uploads.get(doc_id)
    return entry.short_title if entry else shorten(title)


# ----- entries of uploaded documents, derived from their own title and text -----

_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "concerning",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "regarding",
        "the",
        "to",
        "with",
        "against",
        "regard",
        "no",  # "Act No. 5" gives "A", not "AN"
    ]
)
# "This Act shall be known as the "Cybercrime Prevention Act of 2012"", "may be cited as".
_CITED_AS_RE = re.compile(
    r"(?:shall|may)\s+be\s+(?:known|cited)\s+as\s+(?:the\s+)?[\"“”″']+([^\"“”″\n]{3,90}?)[\"“”″']", re.IGNORECASE
)
# "REPUBLIC ACT NO. 10175", "Law No. 2018-133", "Decree No. 53".
_DESIGNATION_RE = re.compile(
    r"\b((?:[A-Z][A-Za-z]+\s+)?(?:act|law|decree|ordinance|code|proclamation))\s+no\.?\s*(\d[\w/-]*)", re.IGNORECASE
)
_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# "coe-convention-108-data-protection": a file named for an instrument's number ("Convention 108"),
# the name people call it by when its own text never gives that number (a year is not one).
_NUMBERED_IN_ID_RE = re.compile(
    r"(?:^|-)(convention|protocol|treaty|act|law|decree|directive|regulation)-?(?!(?:19|20)\d\d(?:-|$))(\d{1,5})(?=-|$)"
)
# "Senate and House of Representatives of the Philippines", "Republic of Kenya": the place a law is
# enacted for, which people name it by ("the Philippine cybercrime law").
_ENACTED_FOR_RE = re.compile(
    r"\b(?:Republic|Kingdom|Commonwealth|Federation|Congress|Parliament|Senate|House of Representatives|"
    r"National Assembly|Government)\s+of\s+(?:the\s+)?((?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+){0,2})\b"
)
# "Convention for the Protection of Individuals with regard to ... Personal Data": a treaty called by
# its subject in everyday words ("the data protection convention"): the last word of its object,
# then the action, then the kind.
_SUBJECT_TITLE_RE = re.compile(
    r"^(convention|treaty|protocol|agreement|charter|act|law)\s+(?:for|on|against|concerning)\s+(?:the\s+)?"
    r"([a-z]+)\s+of\s+.*?([a-z]+)$"
)
_YEAR_SUFFIX_RE = re.compile(r"(?:,|\s+of)?\s+(?:1[89]\d\d|20\d\d)$")
_HEAD_CHARS = 4000  # a cited-as clause or designation stands near the top


def shorten(title: str, limit: int = MAX_SHORT_TITLE_CHARS) -> str:
    """``title`` cut at a word boundary to ``limit`` characters, with "..." when cut."""
    if len(title) <= limit:
        return title
    cut = title[: limit - 3].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return cut + "..."


def acronym(name: str) -> str:
    """Initials of the name's significant words ("Cybercrime Prevention Act of 2012" -> "CPA")."""
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", name) if w.lower() not in _SMALL_WORDS]
    return "".join(w[0].upper() for w in words)


def _clean_title(title: str) -> str:
    return " ".join(title.strip().lstrip("#").split()).strip(" .")


def derive_names(doc_id: str, title: str, text: str) -> tuple[str, tuple[str, ...]]:
    """A short title and aliases for an uploaded document, from its title and its own text.

    The name a law gives itself ("shall be known as ...") is preferred for the short title;
    aliases add the full title, the name without its year ("Cybercrime Prevention Act"), an
    official designation ("Republic Act No. 10175", "RA 10175"), the acronym with and without
    the year ("CPA 2012", "CPA") and an instrument number the file name gives ("Convention 108").
    """
    head = text[:_HEAD_CHARS]
    title = _clean_title(title) or doc_id.replace("-", " ")
    cited = _CITED_AS_RE.search(head)
    cited_name = _clean_title(cited.group(1)) if cited else ""
    short = cited_name if cited_name and len(cited_name) <= MAX_SHORT_TITLE_CHARS else shorten(title)
    names = [short if short in (title, cited_name) else "", title, cited_name]
    designation = _DESIGNATION_RE.search(head)
    if designation:
        kind_words, number = " ".join(designation.group(1).split()), designation.group(2)
        names += [f"{kind_words} No. {number}", f"{kind_words} {number}"]
        initials = acronym(kind_words)
        if len(initials) >= 2:
            names += [f"{initials} {number}", f"{'.'.join(initials)}. {number}"]
    main_name = cited_name or title
    names.append(_YEAR_SUFFIX_RE.sub("", main_name))  # "Cybercrime Prevention Act" is said without "of 2012"
    initials = acronym(main_name)
    if 2 <= len(initials) <= 6:
        year = _YEAR_RE.search(main_name)
        names += [f"{initials} {year.group(1)}"] if year else []
        if len(initials) >= 3:
            names.append(initials)
    names += [f"{kind} {number}" for kind, number in _NUMBERED_IN_ID_RE.findall(doc_id.lower())]
    names += subject_names(title) + place_names(head) + issuer_names(head, builtin_registry().issuers)
    aliases = tuple(dict.fromkeys(n.lower() for n in names if n and len(n) <= 120))
    return short, aliases


def subject_names(title: str) -> list[str]:
    """The everyday name of a treaty titled by its subject: "Convention for the Protection of ...
    Personal Data" -> "data protection convention"."""
    match = _SUBJECT_TITLE_RE.match(" ".join(re.findall(r"[a-z]+", title.lower())))
    if not match:
        return []
    kind, action, subject = match.groups()
    return [f"{subject} {action} {kind}"] if subject not in _SMALL_WORDS else []


def place_names(head: str) -> list[str]:
    """The place a law's opening text enacts it for, and that place's adjective ("Philippines",
    "Philippine"; "Kenya", "Kenyan"), as people name a national law by its country."""
    names: list[str] = []
    for place in dict.fromkeys(_ENACTED_FOR_RE.findall(head)):
        names.append(place)
        if place.endswith("s"):
            names.append(place[:-1])
        elif place.endswith("a"):
            names.append(place + "n")
    return names


def issuer_names(head: str, issuers: Iterable[Issuer]) -> list[str]:
    """The aliases of each body (``Issuer``) an instrument's opening text names."""
    return [alias for issuer in issuers if issuer.name.lower() in head.lower() for alias in issuer.aliases]


def upload_entry(doc_id: str, title: str, short_title: str, aliases: Iterable[str]) -> DocumentEntry:
    """The registry entry of an uploaded document (searched by default, a family of its own)."""
    return DocumentEntry(
        id=doc_id,
        title=title,
        short_title=short_title or shorten(title),
        aliases=tuple(dict.fromkeys(a.strip().lower() for a in aliases if a.strip())),
        family=doc_id,
        kind="upload",
        scope="default",
    )
