"""Gold evaluation questions: data model, loader, validator and a lexical-overlap probe.

The gold sets live in ``eval/datasets/gold-dev.jsonl`` (for tuning) and
``eval/datasets/gold-test.jsonl`` (for reporting only).  Each line is one JSON object::

    {"id": "dev-001", "question": "...", "answerable": true,
     "gold": [{"doc": "un-cybercrime-convention-2024", "article": "24", "paragraph": "2"}],
     "reference_answer": "...",
     "evidence": [{"doc": "un-cybercrime-convention-2024", "quote": "..."}],
     "tags": ["un", "un-ch4", "rights"]}

A question resting on a false premise may add ``"premise"``: the wrong claim it takes for
granted, in a few words (the reference answer corrects it).

Document ids are the corpus file names without ``.txt``.  ``article`` is the article
number as a string, or ``"preamble"``; ``paragraph`` is the numbered paragraph inside the
article, or, for documents without articles (the interpretative notes, the GA resolution),
the document-level paragraph number.

Run ``python -m eval.dataset [FILES...] [--corpus DIR]`` to validate the files and print
counts by tag and the mean lexical overlap between each answerable question and the text
of its gold articles.  Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rag.document_text import document_text
from rag.documents import builtin_registry
from rag.settings import DEFAULT_CORPUS
from rag.types import Passage

__all__ = [
    "CorpusDoc",
    "Evidence",
    "GoldItem",
    "GoldQuestion",
    "default_corpus_dir",
    "default_dataset_files",
    "gold_text",
    "lexical_overlap",
    "load_corpus",
    "load_questions",
    "main",
    "validate_questions",
    "with_stored_documents",
]

#: Documents whose ``Article N`` lines only say which article a note is about; they have
#: no articles of their own, so a gold ``article`` on them is an error.
LABEL_ONLY_ARTICLE_HEADINGS: frozenset[str] = frozenset(builtin_registry().of_kind("notes"))

#: Exact field set of one JSON record.
RECORD_FIELDS: frozenset[str] = frozenset(
    {"id", "question", "answerable", "gold", "reference_answer", "evidence", "tags"}
)
#: Fields a record may add: ``premise`` names the wrong claim of a false-premise question.
OPTIONAL_FIELDS: frozenset[str] = frozenset({"premise"})
GOLD_FIELDS: frozenset[str] = frozenset({"doc", "article", "paragraph"})
EVIDENCE_FIELDS: frozenset[str] = frozenset({"doc", "quote"})

#: Length bounds (characters) for an evidence quote.
QUOTE_MIN_CHARS = 40
QUOTE_MAX_CHARS = 300

#: Ids name their split: ``dev-``, ``test-``, or ``t2-`` to ``t5-`` for the second to fifth independently
#: written test splits, ``up2-`` and ``up3-`` for the second and third test sets on the uploads.
_ID_PATTERN = re.compile(r"^(dev|test|t2|t3|t4|t5|up2|up3)-\d{3,}$")
_APOSTROPHE = "\u2019"  # right single quotation mark, as used in the UN texts
_WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")

#: A small English stopword list, plus words that every question about these
#: documents shares ("treaty", "convention") and so carry no signal.
STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are as
    at be because been before being below between both but by can could did
    do does doing done down during each either else ever every few for from
    further get gets got had has have having he her here hers him his
    how i if in into is it its itself just let like may me
    might more most much must my no nor not now of off on once
    one only or other our ours out over own per same say says shall
    she should so some such than that the their theirs them then there these
    they this those through to too under until up upon us very was we
    were what when where whether which while who whom whose why will with within
    without would yes yet you your yours s t don't can't won't isn't aren't
    doesn't didn't it's i'm i've what's treaty treaties convention conventions un new
    """.split()  # noqa: SIM905 - a word list reads best as text
)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class GoldItem:
    """One gold location: a document, optionally an article and a paragraph in it."""

    doc: str
    article: str | None = None
    paragraph: str | None = None

    def to_json(self) -> dict[str, str]:
        """Return the JSON form, leaving out absent optional fields."""
        out = {"doc": self.doc}
        if self.article is not None:
            out["article"] = self.article
        if self.paragraph is not None:
            out["paragraph"] = self.paragraph
        return out


@dataclass(frozen=True)
class Evidence:
    """A verbatim quote from one document that supports the reference answer."""

    doc: str
    quote: str

    def to_json(self) -> dict[str, str]:
        """Return the JSON form."""
        return {"doc": self.doc, "quote": self.quote}


@dataclass
class GoldQuestion:
    """One gold question with its gold locations, reference answer and evidence."""

    id: str
    question: str
    answerable: bool
    gold: list[GoldItem]
    reference_answer: str
    evidence: list[Evidence]
    tags: list[str]
    #: The wrong claim a false-premise question takes for granted; None for other questions.
    premise: str | None = None
    #: Where the record was read from ("file:line"); not part of the JSON.
    source: str = field(default="", compare=False)
    #: Schema problems found while parsing; reported by :func:`validate_questions`.
    parse_problems: list[str] = field(default_factory=list, compare=False)

    def to_json(self) -> dict[str, object]:
        """Return the JSON form with exactly the documented fields."""
        out: dict[str, object] = {
            "id": self.id,
            "question": self.question,
            "answerable": self.answerable,
            "gold": [g.to_json() for g in self.gold],
            "reference_answer": self.reference_answer,
            "evidence": [e.to_json() for e in self.evidence],
            "tags": list(self.tags),
        }
        if self.premise is not None:
            out["premise"] = self.premise
        return out


# --------------------------------------------------------------------------- loading


def _parse_record(obj: object, source: str) -> GoldQuestion:
    """Turn one decoded JSON value into a :class:`GoldQuestion`, noting schema problems."""
    problems: list[str] = []
    if not isinstance(obj, dict):
        return GoldQuestion("", "", False, [], "", [], [], None, source, ["record is not an object"])

    keys = set(obj)
    if keys - OPTIONAL_FIELDS != RECORD_FIELDS:
        missing = sorted(RECORD_FIELDS - keys)
        extra = sorted(keys - RECORD_FIELDS - OPTIONAL_FIELDS)
        if missing:
            problems.append(f"missing fields {missing}")
        if extra:
            problems.append(f"unexpected fields {extra}")

    def text_field(name: str) -> str:
        value = obj.get(name, "")
        if not isinstance(value, str):
            problems.append(f"field {name!r} must be a string")
            return ""
        if not value.strip():
            problems.append(f"field {name!r} is empty")
        return value

    qid = text_field("id")
    question = text_field("question")
    reference = text_field("reference_answer")

    answerable = obj.get("answerable", False)
    if not isinstance(answerable, bool):
        problems.append("field 'answerable' must be a boolean")
        answerable = bool(answerable)

    gold: list[GoldItem] = []
    raw_gold = obj.get("gold", [])
    if not isinstance(raw_gold, list):
        problems.append("field 'gold' must be a list")
        raw_gold = []
    for i, item in enumerate(raw_gold):
        if not isinstance(item, dict):
            problems.append(f"gold[{i}] is not an object")
            continue
        unknown = set(item) - GOLD_FIELDS
        if unknown:
            problems.append(f"gold[{i}] has unexpected fields {sorted(unknown)}")
        values: dict[str, str | None] = {}
        for name in ("doc", "article", "paragraph"):
            value = item.get(name)
            if value is not None and not isinstance(value, str):
                problems.append(f"gold[{i}].{name} must be a string")
                value = str(value)
            values[name] = value
        if not values["doc"]:
            problems.append(f"gold[{i}] has no doc")
            continue
        gold.append(GoldItem(str(values["doc"]), values["article"], values["paragraph"]))

    evidence: list[Evidence] = []
    raw_evidence = obj.get("evidence", [])
    if not isinstance(raw_evidence, list):
        problems.append("field 'evidence' must be a list")
        raw_evidence = []
    for i, item in enumerate(raw_evidence):
        if not isinstance(item, dict) or set(item) != EVIDENCE_FIELDS:
            problems.append(f"evidence[{i}] must be an object with exactly 'doc' and 'quote'")
            continue
        doc, quote = item["doc"], item["quote"]
        if not isinstance(doc, str) or not isinstance(quote, str):
            problems.append(f"evidence[{i}] doc and quote must be strings")
            continue
        evidence.append(Evidence(doc, quote))

    tags: list[str] = []
    raw_tags = obj.get("tags", [])
    if not isinstance(raw_tags, list) or not all(isinstance(t, str) for t in raw_tags):
        problems.append("field 'tags' must be a list of strings")
    else:
        tags = list(raw_tags)
        if not tags:
            problems.append("field 'tags' is empty")

    premise = obj.get("premise")
    if premise is not None and (not isinstance(premise, str) or not premise.strip()):
        problems.append("field 'premise' must be a non-empty string")
        premise = None

    return GoldQuestion(qid, question, answerable, gold, reference, evidence, tags, premise, source, problems)


def load_questions(path: str | os.PathLike[str]) -> list[GoldQuestion]:
    """Read a JSON Lines gold file; blank lines are skipped.

    Records that do not match the schema are still returned (with their problems in
    ``parse_problems``) so that :func:`validate_questions` can report every problem at
    once.  A line that is not valid JSON raises :class:`ValueError`.
    """
    questions: list[GoldQuestion] = []
    p = Path(path)
    with p.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{p}:{lineno}: invalid JSON: {exc}") from exc
            questions.append(_parse_record(obj, f"{p.name}:{lineno}"))
    return questions


# --------------------------------------------------------------------------- corpus


@dataclass
class CorpusDoc:
    """A corpus document with the character spans of its articles and paragraphs."""

    doc_id: str
    text: str
    #: article number -> (start, end) character span, from its ``Article N`` line to
    #: the next ``Article`` line (or the end of the text).
    articles: dict[str, tuple[int, int]]
    #: span of the text before the first article/chapter heading, if it holds a preamble.
    preamble: tuple[int, int] | None

    @property
    def has_articles(self) -> bool:
        """True when the document is organised in articles."""
        return bool(self.articles)

    def span(self, article: str | None) -> tuple[int, int] | None:
        """Character span of an article (or the preamble); the whole text for ``None``."""
        if article is None:
            return (0, len(self.text))
        if article == "preamble":
            return self.preamble
        return self.articles.get(article)

    def paragraph_span(self, article: str | None, paragraph: str) -> tuple[int, int] | None:
        """Span of numbered paragraph ``paragraph`` inside ``article`` (or the whole doc).

        A paragraph opens at a line that starts with ``N.`` and runs to the next line that
        starts with a paragraph number, or to the end of the enclosing span.  Lines rather
        than blocks are used because some source files (the Council of Europe and treaty
        database texts) put consecutive numbered paragraphs on consecutive lines.
        """
        outer = self.span(article)
        if outer is None:
            return None
        start, end = outer
        region = self.text[start:end]
        opener = re.compile(rf"(?m)^{re.escape(paragraph)}\.(?=\s|$)")
        m = opener.search(region)
        if m is None:
            return None
        nxt = re.compile(r"(?m)^\d+\.(?=\s|$)").search(region, m.end())
        return (start + m.start(), start + (nxt.start() if nxt else len(region)))


def _build_doc(doc_id: str, text: str) -> CorpusDoc:
    """Index the article spans and the preamble of one document."""
    articles: dict[str, tuple[int, int]] = {}
    label_only = doc_id in LABEL_ONLY_ARTICLE_HEADINGS
    starts: list[tuple[str, int]] = []
    if not label_only:
        for m in re.finditer(r"(?m)^Article (\d+)$", text):
            starts.append((m.group(1), m.start()))
    for i, (num, pos) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(text)
        articles.setdefault(num, (pos, end))

    preamble: tuple[int, int] | None = None
    if not label_only:
        if starts:
            first = re.search(r"(?m)^(Article \d+|Chapter [IVXLC]+|CHAPTER [IVXLC]+)$", text)
            cut = first.start() if first else len(text)
        else:
            para = re.search(r"(?m)^\d+\.(?=\s)", text)
            cut = para.start() if para else 0
        blocks = [b for b in re.split(r"\n\s*\n", text[:cut]) if b.strip()]
        # The first block is the title; a preamble needs at least one more.
        if len(blocks) >= 2:
            preamble = (0, cut)
    return CorpusDoc(doc_id, text, articles, preamble)


def load_corpus(corpus_dir: str | os.PathLike[str]) -> dict[str, CorpusDoc]:
    """Load every ``*.txt`` file of the corpus folder, keyed by document id."""
    out: dict[str, CorpusDoc] = {}
    for path in sorted(Path(corpus_dir).glob("*.txt")):
        out[path.stem] = _build_doc(path.stem, path.read_text(encoding="utf-8"))
    return out


def with_stored_documents(corpus: dict[str, CorpusDoc], passages: Iterable[Passage]) -> dict[str, CorpusDoc]:
    """``corpus`` and every other document ``passages`` come from (an upload, which the corpus folder
    does not hold), its text rebuilt from its passages at their offsets (``rag.document_text``), so
    that the span metrics place the uploads' evidence quotes as they place the corpus's."""
    by_document: dict[str, list[Passage]] = {}
    for passage in passages:
        if passage.doc_id not in corpus:
            by_document.setdefault(passage.doc_id, []).append(passage)
    rebuilt = {
        doc_id: _build_doc(doc_id, document_text(doc_id, found[0].doc_title, found).text)
        for doc_id, found in by_document.items()
    }
    return corpus | rebuilt


def default_corpus_dir() -> Path:
    """Locate the corpus: ``$TREATYQA_CORPUS``, else the ``corpus/`` folder shipped in the repository."""
    env = os.environ.get("TREATYQA_CORPUS")
    return Path(env) if env else DEFAULT_CORPUS


#: The uploads' question files kept for reporting once: their names say "uploads", not "test", so
#: they are named exactly (``uploads-dev.jsonl`` is for tuning).
UPLOAD_TEST_FILES = frozenset({"uploads-philippines.jsonl", "uploads-convention-108.jsonl"})


def is_test_split(path: Path) -> bool:
    """Whether ``path`` is a question file kept for reporting only: a test or holdout split, or an
    upload's test questions (``UPLOAD_TEST_FILES``)."""
    name = path.name
    return "test" in name or "holdout" in name or name in UPLOAD_TEST_FILES


def default_dataset_files() -> list[Path]:
    """The gold files shipped with the repository (dev first, then test)."""
    base = Path(__file__).resolve().parent / "datasets"
    return [base / "gold-dev.jsonl", base / "gold-test.jsonl"]


# --------------------------------------------------------------------------- validation


def occurrences(text: str, needle: str) -> list[int]:
    """Start offsets of every occurrence of ``needle`` in ``text``."""
    out: list[int] = []
    i = text.find(needle)
    while i != -1:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _check_gold_item(item: GoldItem, corpus: dict[str, CorpusDoc]) -> list[str]:
    """Problems with one gold location (unknown doc, article or paragraph)."""
    doc = corpus.get(item.doc)
    if doc is None:
        return [f"gold doc {item.doc!r} is not in the corpus"]
    problems: list[str] = []
    if item.article is not None:
        if item.doc in LABEL_ONLY_ARTICLE_HEADINGS:
            return [f"gold doc {item.doc!r} has no articles (its headings are labels); omit 'article'"]
        if item.article == "preamble":
            if doc.preamble is None:
                problems.append(f"gold doc {item.doc!r} has no preamble")
            elif item.paragraph is not None:
                problems.append("a preamble has no numbered paragraphs; omit 'paragraph'")
            return problems
        if not re.fullmatch(r"\d+", item.article):
            return [f"gold article {item.article!r} must be a number or 'preamble'"]
        if item.article not in doc.articles:
            return [f"article {item.article} does not exist in {item.doc!r}"]
    elif doc.has_articles and item.paragraph is not None:
        return [f"gold paragraph {item.paragraph} in {item.doc!r} needs an article"]
    if item.paragraph is not None:
        if not re.fullmatch(r"\d+", item.paragraph):
            problems.append(f"gold paragraph {item.paragraph!r} must be a number")
        elif doc.paragraph_span(item.article, item.paragraph) is None:
            where = f"article {item.article}" if item.article else "the document"
            problems.append(f"paragraph {item.paragraph} does not exist in {where} of {item.doc!r}")
    return problems


def validate_questions(
    questions: Sequence[GoldQuestion],
    corpus_dir: str | os.PathLike[str] | dict[str, CorpusDoc],
) -> list[str]:
    """Check gold questions against the schema and the corpus.

    Returns human-readable problems, each prefixed with the question id (or its source
    position); an empty list means the questions are valid.  Checks: field types and
    exact field sets; id format and uniqueness across all ``questions``; answerable
    questions have gold locations and evidence, unanswerable ones have neither and are
    tagged ``unanswerable``; every gold document, article (an ``Article N`` line) and
    paragraph (a line opening with ``N.`` inside that article) exists; every quote is an
    exact substring of its document, 40-300 characters, within one paragraph, from a
    gold document; every gold document has a quote, and every gold article/paragraph
    has a quote that lies inside it.
    """
    corpus = corpus_dir if isinstance(corpus_dir, dict) else load_corpus(corpus_dir)
    problems: list[str] = []
    seen: dict[str, str] = {}

    for q in questions:
        label = q.id or q.source or "<no id>"

        def report(msg: str, label: str = label) -> None:
            problems.append(f"{label}: {msg}")

        for msg in q.parse_problems:
            report(msg)

        if q.id:
            if not _ID_PATTERN.match(q.id):
                report("id must look like 'dev-001', 'test-001', 't2-001' to 't5-001', 'up2-001' or 'up3-001'")
            if q.id in seen:
                report(f"duplicate id (also at {seen[q.id]})")
            else:
                seen[q.id] = q.source or "?"
        if len(set(q.tags)) != len(q.tags):
            report("duplicate tags")

        if not q.answerable:
            if q.gold:
                report("unanswerable question must have empty gold")
            if q.evidence:
                report("unanswerable question must have empty evidence")
            if "unanswerable" not in q.tags:
                report("unanswerable question must be tagged 'unanswerable'")
            continue

        if "unanswerable" in q.tags:
            report("answerable question is tagged 'unanswerable'")
        if not q.gold:
            report("answerable question has no gold")
        if not q.evidence:
            report("answerable question has no evidence")

        # Where each quote sits in its document.
        located: list[tuple[str, list[int], int]] = []
        for ev in q.evidence:
            doc = corpus.get(ev.doc)
            if doc is None:
                report(f"evidence doc {ev.doc!r} is not in the corpus")
                continue
            if not (QUOTE_MIN_CHARS <= len(ev.quote) <= QUOTE_MAX_CHARS):
                bounds = f"{QUOTE_MIN_CHARS}-{QUOTE_MAX_CHARS}"
                report(f"quote length {len(ev.quote)} outside {bounds}: {ev.quote[:60]!r}")
            if "\n\n" in ev.quote:
                report(f"quote spans more than one paragraph: {ev.quote[:60]!r}")
            hits = occurrences(doc.text, ev.quote)
            if not hits:
                report(f"quote not found in {ev.doc!r}: {ev.quote[:80]!r}")
            located.append((ev.doc, hits, len(ev.quote)))

        gold_docs = {g.doc for g in q.gold}
        for ev in q.evidence:
            if ev.doc not in gold_docs:
                report(f"evidence doc {ev.doc!r} is not among the gold docs")

        for g in q.gold:
            item_problems = _check_gold_item(g, corpus)
            for msg in item_problems:
                report(msg)
            if g.doc not in {ev.doc for ev in q.evidence}:
                report(f"no evidence quote from gold doc {g.doc!r}")
                continue
            if item_problems:
                continue
            doc = corpus[g.doc]
            span = doc.paragraph_span(g.article, g.paragraph) if g.paragraph is not None else doc.span(g.article)
            if span is None:
                continue
            start, end = span
            inside = any(d == g.doc and any(start <= h and h + n <= end for h in hits) for d, hits, n in located)
            if not inside:
                where = f"article {g.article}" if g.article else "doc"
                if g.paragraph:
                    where += f" paragraph {g.paragraph}"
                report(f"no evidence quote lies inside gold {g.doc} {where}")
    return problems


# --------------------------------------------------------------------------- overlap


def _content_words(text: str) -> list[str]:
    """Lower-cased word tokens minus stopwords and one-letter tokens."""
    words = [w.replace(_APOSTROPHE, "'") for w in _WORD.findall(text.lower())]
    return [w for w in words if w not in STOPWORDS and len(w) > 1]


def lexical_overlap(question: str, passage_text: str) -> float:
    """Share of the question's distinct content words that also occur in the passage.

    Words are lower-cased alphanumeric tokens; stopwords (a small built-in list) and
    one-letter tokens are dropped.  Returns 0.0 when the question has no content words.
    """
    q_words = set(_content_words(question))
    if not q_words:
        return 0.0
    p_words = set(_content_words(passage_text))
    return len(q_words & p_words) / len(q_words)


def gold_text(question: GoldQuestion, corpus: dict[str, CorpusDoc]) -> str:
    """Text of the gold articles of a question (whole article, preamble, or for
    documents without articles the gold paragraph, else the whole document)."""
    parts: list[str] = []
    seen: set[tuple[str, str | None, str | None]] = set()
    for g in question.gold:
        doc = corpus.get(g.doc)
        if doc is None:
            continue
        key: tuple[str, str | None, str | None]
        if doc.has_articles or g.article == "preamble":
            key = (g.doc, g.article, None)
            span = doc.span(g.article)
        elif g.paragraph is not None:
            key = (g.doc, None, g.paragraph)
            span = doc.paragraph_span(None, g.paragraph)
        else:
            key = (g.doc, None, None)
            span = doc.span(None)
        if key in seen or span is None:
            continue
        seen.add(key)
        parts.append(doc.text[span[0] : span[1]])
    return "\n\n".join(parts)


# --------------------------------------------------------------------------- CLI


def _summarise(questions: Iterable[GoldQuestion], corpus: dict[str, CorpusDoc]) -> str:
    """Counts by tag and split, and the mean question/gold-article lexical overlap."""
    qs = list(questions)
    lines: list[str] = []
    answerable = [q for q in qs if q.answerable]
    n_unanswerable = len(qs) - len(answerable)
    lines.append(f"questions: {len(qs)}  answerable: {len(answerable)}  unanswerable: {n_unanswerable}")
    splits = Counter(q.id.split("-", 1)[0] for q in qs if q.id)
    lines.append("by split: " + ", ".join(f"{k}={v}" for k, v in sorted(splits.items())))
    tags = Counter(t for q in qs for t in q.tags)
    lines.append("by tag:")
    for tag, n in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {tag:<20} {n}")
    overlaps = [lexical_overlap(q.question, gold_text(q, corpus)) for q in answerable]
    if overlaps:
        mean = sum(overlaps) / len(overlaps)
        lines.append(f"mean lexical overlap (question vs gold article text, {len(overlaps)} answerable): {mean:.3f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Validate gold files and print a summary; exit status 1 if problems were found."""
    parser = argparse.ArgumentParser(prog="python -m eval.dataset", description=__doc__.split("\n")[0])
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        help="gold JSONL files (default: the shipped dev and test sets)",
    )
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: shared/corpus)")
    args = parser.parse_args(argv)

    files: list[Path] = list(args.files) or default_dataset_files()
    corpus_dir = args.corpus or default_corpus_dir()
    corpus = load_corpus(corpus_dir)
    if not corpus:
        print(f"no corpus documents found in {corpus_dir}", file=sys.stderr)
        return 2

    questions: list[GoldQuestion] = []
    for f in files:
        questions.extend(load_questions(f))
    problems = validate_questions(questions, corpus)

    print(f"files: {', '.join(str(f) for f in files)}")
    print(f"corpus: {corpus_dir} ({len(corpus)} documents)")
    print(_summarise(questions, corpus))
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print(f"  - {p}")
        return 1
    print("\nno problems found")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
