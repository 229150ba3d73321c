"""The file loaders (``rag.loaders``): every format, every refusal, and fuzzed bytes.

PDFs are written by hand (``tests/pdfs.py``: a minimal PDF 1.4 with a Helvetica text stream per
page and a correct xref table) because reportlab is not a dependency; pypdf encrypts them.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfs import pdf_bytes, text_pdf
from pypdf import PdfWriter

from rag.errors import DocumentError
from rag.loaders import document_id, load_document, normalise_text
from rag.structure import parse_document

MAX_BYTES = 1_000_000
MAX_PAGES = 50


def load(path: Path, max_bytes: int = MAX_BYTES, max_pages: int = MAX_PAGES):
    return load_document(path, max_bytes, max_pages)


def docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def encrypted(pdf: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


PAGES = [
    ["Article 1", "Use of terms"],
    ["1. States Parties shall cooperate.", "(a) on evidence;"],
    ["Article 2", "Scope of application"],
]


# ----- formats -----


def test_txt(tmp_path: Path) -> None:
    text = "Convention on Testing\n\nArticle 1\n\nScope\n\n1. It applies: “quoted” — dashes é.\n"
    doc = load(write(tmp_path, "my treaty (v2).txt", text))
    assert doc.text == text
    assert doc.doc_id == "my-treaty-v2"
    assert doc.source_path == str(tmp_path / "my treaty (v2).txt")
    assert doc.page_starts == () and doc.page_at(5) is None


def test_txt_line_ends_and_invisible_characters_normalised(tmp_path: Path) -> None:
    doc = load(write(tmp_path, "crlf.txt", "\ufeffLine one\r\nLine\u200b two\rLine three\x07\n".encode()))
    assert doc.text == "Line one\nLine two\nLine three\n"


def test_md(tmp_path: Path) -> None:
    text = "# Heading\n\nSome *markdown* text.\n"
    doc = load(write(tmp_path, "notes.md", text))
    assert doc.text == text and doc.doc_id == "notes"


def test_html_without_script_and_style(tmp_path: Path) -> None:
    html = """<html><head><title>T</title><style>p { color: red }</style>
    <script>var secret = "do not index";</script></head>
    <body><h1>Convention   on Testing</h1><p>First <b>bold</b> paragraph.</p>
    <noscript>enable javascript</noscript><ul><li>Item one</li></ul>
    <script type="text/javascript">alert("x")</script></body></html>"""
    doc = load(write(tmp_path, "page.html", html))
    assert doc.text == "Convention on Testing\n\nFirst bold paragraph.\n\nItem one"
    for hidden in ("secret", "alert", "color", "javascript"):
        assert hidden not in doc.text


def test_html_without_block_tags_falls_back_to_all_text(tmp_path: Path) -> None:
    doc = load(write(tmp_path, "bare.htm", "<html><body><div>Just a <span>div</span></div></body></html>"))
    assert doc.text == "Just a div"


def test_pdf_text_and_page_starts(tmp_path: Path) -> None:
    doc = load(write(tmp_path, "treaty.pdf", text_pdf(PAGES)))
    assert len(doc.page_starts) == 3
    assert doc.page_starts[0] == 0
    for number, (start, lines) in enumerate(zip(doc.page_starts, PAGES, strict=True), 1):
        assert doc.text.startswith(lines[0], start)
        for line in lines:
            assert line in doc.text
        assert doc.page_at(start) == number
        assert doc.page_at(start + len(lines[0]) - 1) == number
    assert doc.text.index("Scope of application") > doc.page_starts[2]


def test_html_nested_blocks_come_out_once_with_line_breaks_kept(tmp_path: Path) -> None:
    html = """<html><body><table><tr><td>Loose cell text<blockquote>
    <p align="center"><b>CHAPTER I<br />PRELIMINARY PROVISIONS</p>
    <p><b>Section 1.</b> <i>Title.</i> - This Act.</p></blockquote></td></tr></table>
    <!-- a comment --></body></html>"""
    doc = load(write(tmp_path, "act.html", html))
    assert doc.text == "Loose cell text\n\nCHAPTER I\nPRELIMINARY PROVISIONS\n\nSection 1. Title. - This Act."


def test_html_in_utf8_read_as_utf8_despite_a_stale_charset(tmp_path: Path) -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>nation\u2019s \u2013 r\u00e9gime</p></body></html>'
    doc = load(write(tmp_path, "saved.html", html.encode("utf-8")))
    assert doc.text == "nation\u2019s \u2013 r\u00e9gime"


def test_html_in_windows_1252_still_decoded(tmp_path: Path) -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>nation\u2019s r\u00e9gime</p></body></html>'
    doc = load(write(tmp_path, "old.html", html.encode("cp1252")))
    assert doc.text == "nation\u2019s r\u00e9gime"


LAYOUT_PDF_PAGES = Path(__file__).parent / "fixtures" / "layouts" / "pdf-pages.written-here.txt"


def test_pdf_page_furniture_removed_and_pages_kept(tmp_path: Path) -> None:
    pages = [page.strip("\n").split("\n") for page in LAYOUT_PDF_PAGES.read_text(encoding="utf-8").split("\f")]
    doc = load(write(tmp_path, "draft.pdf", text_pdf(pages)))
    for furniture in ("Draft text - for discussion only", "Page 1 of 3", "Page 3 of 3", "es-\n", "terri-"):
        assert furniture not in doc.text
    assert doc.text.count("Model Convention on Digital Evidence") == 0  # the running header, on every page
    for joined in ("across borders", "to establish as criminal", "competent authorities", "its territory"):
        assert joined in doc.text
    assert doc.page_at(doc.text.index("Article 1 - Purpose")) == 1
    assert doc.page_at(doc.text.index("Article 3 - Access")) == 2
    assert doc.page_at(doc.text.index("Article 7 - Entry")) == 3
    parsed = parse_document(doc.text)
    assert parsed.articles == [str(n) for n in range(1, 8)]
    articles = {u.article: u for u in parsed.units if u.kind == "article"}
    assert articles["3"].title == "Access to data stored in a computer system"  # wrapped by the PDF
    assert [p.number for p in articles["5"].paragraphs] == ["1", "2"]  # across the page break
    assert parsed.chapters == ["I", "II", "III"]


def test_pdf_page_limit(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="3 pages, over the limit of 2"):
        load(write(tmp_path, "long.pdf", text_pdf(PAGES)), max_pages=2)


def test_docx(tmp_path: Path) -> None:
    doc = load(write(tmp_path, "memo.docx", docx_bytes(["Article 1", "", "  Scope  ", "1. It applies."])))
    assert doc.text == "Article 1\n\nScope\n\n1. It applies."
    assert doc.doc_id == "memo"


# ----- refusals -----


def reason_of(path: Path, **limits: int) -> str:
    with pytest.raises(DocumentError) as caught:
        load(path, **limits)
    assert caught.value.path == str(path)
    assert str(caught.value) == f"{path}: {caught.value.reason}"
    return caught.value.reason


def test_corrupt_pdf(tmp_path: Path) -> None:
    assert "cannot be read" in reason_of(write(tmp_path, "bad.pdf", b"%PDF-1.4\nthis is not a pdf at all\n"))


def test_truncated_pdf(tmp_path: Path) -> None:
    reason = reason_of(write(tmp_path, "cut.pdf", text_pdf(PAGES)[:200]))
    assert "cannot be read" in reason or "no text" in reason


@pytest.mark.parametrize("user_password", ["secret", ""])
def test_encrypted_pdf(tmp_path: Path, user_password: str) -> None:
    assert reason_of(write(tmp_path, "locked.pdf", encrypted(text_pdf(PAGES), user_password))) == "the PDF is encrypted"


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "no text could be extracted" in reason_of(write(tmp_path, "scan.pdf", buffer.getvalue()))


@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf", "empty.docx", "empty.html"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    assert reason_of(write(tmp_path, name, b"")) == "the file is empty"


def test_whitespace_only_file(tmp_path: Path) -> None:
    assert "no text could be extracted" in reason_of(write(tmp_path, "blank.txt", " \n\t\n\u200b\n"))


def test_binary_bytes_named_txt(tmp_path: Path) -> None:
    data = bytes(range(256)) * 8
    assert reason_of(write(tmp_path, "image.txt", data)) == "this looks like a binary file, not text"


def test_invalid_utf8_txt(tmp_path: Path) -> None:
    path = write(tmp_path, "latin1.txt", "Caf\xe9 cr\xe8me".encode("latin-1"))
    assert reason_of(path) == "the text is not valid UTF-8"


def test_unsupported_extension(tmp_path: Path) -> None:
    reason = reason_of(write(tmp_path, "sheet.xlsx", b"PK\x03\x04"))
    assert "unsupported extension '.xlsx'" in reason and ".pdf" in reason
    assert "'(none)'" in reason_of(write(tmp_path, "README", "text"))


def test_over_max_file_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", "x" * 2_000)
    assert reason_of(path, max_bytes=1_000) == "the file is 2,000 bytes, over the limit of 1,000"
    assert load(path, max_bytes=2_000).text == "x" * 2_000


def test_missing_file(tmp_path: Path) -> None:
    assert reason_of(tmp_path / "nowhere.txt") == "no such file"


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert reason_of(folder) == "not a regular file"


def test_corrupt_docx(tmp_path: Path) -> None:
    assert "DOCX file cannot be read" in reason_of(write(tmp_path, "bad.docx", b"PK\x03\x04 not a zip"))
    assert "DOCX file cannot be read" in reason_of(write(tmp_path, "zip.docx", _zip_without_docx_parts()))


def _zip_without_docx_parts() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    return buffer.getvalue()


def test_document_id() -> None:
    assert document_id(Path("/x/UN Convention (2024).txt")) == "UN-Convention-2024"
    assert document_id(Path("/x/---.txt")) == "document"
    assert document_id(Path("/x/ﬁle.v2.pdf")) == "file.v2"  # NFKC folds the ligature


def test_normalise_text_is_idempotent() -> None:
    text = "a\r\nb\rc\u200bd\x00e\tf"
    once = normalise_text(text)
    assert once == "a\nb\ncd" + "e\tf"
    assert normalise_text(once) == once


# ----- malformed files that escape as other exceptions (bugs) -----


def test_pdf_with_self_referencing_pages_object(tmp_path: Path) -> None:
    path = write(tmp_path, "loop.pdf", pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>", b"2 0 R"]))
    assert "cannot be read" in reason_of(path)


def test_damaged_pdfs_give_document_error(tmp_path: Path) -> None:
    """Seeded damage (truncation, flipped bytes) to a valid PDF: a document or a DocumentError."""
    _check_damaged(tmp_path, ".pdf", text_pdf([["Hello there"], ["Page two"]]), seed=1, tries=300)


def test_docx_with_unknown_compression_method(tmp_path: Path) -> None:
    data = bytearray(docx_bytes(["Hello"]))
    for signature, field in ((b"PK\x01\x02", 10), (b"PK\x03\x04", 8)):  # central and local headers
        position = data.find(signature)
        while position != -1:
            data[position + field : position + field + 2] = struct.pack("<H", 99)
            position = data.find(signature, position + 4)
    assert "DOCX file cannot be read" in reason_of(write(tmp_path, "method.docx", bytes(data)))


def test_docx_with_damaged_deflate_data(tmp_path: Path) -> None:
    data = bytearray(docx_bytes(["Hello"]))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    data[start : start + info.compress_size] = b"\xff" * info.compress_size
    assert "DOCX file cannot be read" in reason_of(write(tmp_path, "deflate.docx", bytes(data)))


def _check_damaged(tmp_path: Path, suffix: str, good: bytes, seed: int, tries: int) -> None:
    rng = random.Random(seed)
    escaped: dict[str, int] = {}
    for attempt in range(tries):
        data = bytearray(good)
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        else:
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        path = write(tmp_path, f"damaged{suffix}", bytes(data))
        try:
            load(path)
        except DocumentError:
            pass
        except Exception as exc:  # collecting what escapes is the point
            escaped.setdefault(type(exc).__name__, attempt)
    assert not escaped, f"exceptions other than DocumentError (type: first attempt): {escaped}"


# ----- fuzzing -----

PREFIXES = {
    ".txt": [b""],
    ".html": [b"", b"<html><body><p>"],
    ".pdf": [b"", b"%PDF-1.4\n", b"%PDF-1.7\n1 0 obj\n<<"],
    ".docx": [b"", b"PK\x03\x04", b"PK\x05\x06"],
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from(sorted(PREFIXES)), data=st.data())
def test_random_bytes_give_a_document_or_document_error(tmp_path: Path, suffix: str, data: st.DataObject) -> None:
    prefix = data.draw(st.sampled_from(PREFIXES[suffix]))
    body = data.draw(st.one_of(st.binary(max_size=2_000), st.text(max_size=500).map(lambda t: t.encode())))
    path = write(tmp_path, f"fuzz{suffix}", prefix + body)
    try:
        doc = load(path)
    except DocumentError as error:
        assert error.path == str(path) and error.reason
    else:
        assert doc.text.strip()
        assert doc.text == normalise_text(doc.text)
