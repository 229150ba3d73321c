"""The structure of a legal text: blocks, headings, labels, and the parser that turns them into units."""

from rag.structure.blocks import Block, split_blocks
from rag.structure.crossrefs import cross_references
from rag.structure.parser import Paragraph, ParsedDocument, Unit, parse_document

__all__ = ["Block", "Paragraph", "ParsedDocument", "Unit", "cross_references", "parse_document", "split_blocks"]
