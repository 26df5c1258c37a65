"""XML parts of DOCX and OFD, parsed with defusedxml: a DTD (billion laughs, external entities) is refused."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from extractor.errors import CorruptDocument, UnsafeDocument


def parse(data: bytes, what: str) -> Element:
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        raise UnsafeDocument(f"the {what} declares a DTD or entities, which are refused "
                             f"(entity expansion, 'billion laughs'): {type(e).__name__}") from None
    except ParseError as e:
        raise CorruptDocument(f"the {what} is not well-formed XML ({e})") from None


def local(tag: str) -> str:
    """An element's name without its namespace: writers differ in the OFD namespace they use."""
    return tag.rsplit("}", 1)[-1]


def children(el: Element, name: str) -> list[Element]:
    return [c for c in el if local(c.tag) == name]


def child(el: Element, name: str) -> Element | None:
    return next((c for c in el if local(c.tag) == name), None)


def descendants(el: Element, name: str):
    return (c for c in el.iter() if local(c.tag) == name)
