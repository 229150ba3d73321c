"""Read files of the supported formats into a ``SourceDocument``.

Formats are read with well-kept libraries: LangChain's ``TextLoader``, ``PyPDFLoader`` (pypdf,
one document per page, so page numbers are kept; running headers, page numbers and line-end
hyphenation are removed by ``rag.page_furniture``), python-docx and BeautifulSoup (one block per
block element, ``rag.html_text``). Every failure becomes a ``DocumentError`` naming the file and
the reason.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from rag.errors import DocumentError
from rag.html_text import html_blocks
from rag.page_furniture import clean_pages
from rag.types import SourceDocument

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
_BINARY_SHARE_LIMIT = 0.05


def document_id(path: Path) -> str:
    """The document id: the file name without its extension, made safe for ids."""
    stem = unicodedata.normalize("NFKC", path.stem)
    return re.sub(r"[^\w.-]+", "-", stem).strip("-") or "document"


def load_document(path: Path, max_bytes: int, max_pages: int) -> SourceDocument:
    """Load ``path``; raise ``DocumentError`` for anything that is not a readable document."""
    name = str(path)
    if not path.exists():
        raise DocumentError(name, "no such file")
    if not path.is_file():
        raise DocumentError(name, "not a regular file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            name, f"unsupported extension '{suffix or '(none)'}'; supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(name, "the file is empty")
    if size > max_bytes:
        raise DocumentError(name, f"the file is {size:,} bytes, over the limit of {max_bytes:,}")
    page_starts: tuple[int, ...] = ()
    if suffix == ".pdf":
        text, page_starts = _read_pdf(path, max_pages)
    elif suffix == ".docx":
        text = _read_docx(path)
    elif suffix in (".html", ".htm"):
        text = _read_html(path)
    else:
        text = _read_text(path)
    text = normalise_text(text)
    if not text.strip():
        raise DocumentError(name, "no text could be extracted (empty, or a scanned PDF without a text layer)")
    doc_id = document_id(path)
    return SourceDocument(doc_id=doc_id, title="", text=text, source_path=name, page_starts=page_starts)


def normalise_text(text: str) -> str:
    """Unify line ends and drop control and zero-width characters that break matching."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf"))


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if raw.count(b"\x00") or _share_of_control_bytes(raw) > _BINARY_SHARE_LIMIT:
        raise DocumentError(str(path), "this looks like a binary file, not text")
    from langchain_community.document_loaders import TextLoader

    try:
        docs = TextLoader(str(path), encoding="utf-8").load()
    except RuntimeError as exc:  # TextLoader wraps decoding errors in RuntimeError
        raise DocumentError(str(path), "the text is not valid UTF-8") from exc
    return docs[0].page_content if docs else ""


def _share_of_control_bytes(raw: bytes) -> float:
    sample = raw[:65536]
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control / max(1, len(sample))


def _read_pdf(path: Path, max_pages: int) -> tuple[str, tuple[int, ...]]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise DocumentError(str(path), "the PDF is encrypted")
        if len(reader.pages) > max_pages:
            raise DocumentError(str(path), f"the PDF has {len(reader.pages)} pages, over the limit of {max_pages}")
        from langchain_community.document_loaders import PyPDFLoader

        pages = PyPDFLoader(str(path)).load()
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        raise DocumentError(str(path), f"the PDF cannot be read ({type(exc).__name__})") from exc
    parts = clean_pages([normalise_text(page.page_content).strip() for page in pages])
    starts: list[int] = []
    offset = 0
    for content in parts:
        starts.append(offset)
        offset += len(content) + 2
    return "\n\n".join(parts), tuple(starts)


def _read_docx(path: Path) -> str:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # zipfile/zlib/lxml raise many types on damaged files
        raise DocumentError(str(path), f"the DOCX file cannot be read ({type(exc).__name__})") from exc
    return "\n\n".join(p.text.strip() for p in document.paragraphs if p.text.strip())


def _read_html(path: Path) -> str:
    blocks = html_blocks(path.read_bytes())
    return "\n\n".join(blocks)
