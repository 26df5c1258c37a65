"""bulletin-extract's extractor: PDF bytes in, an ``Extraction`` out.

Pure functions only — no database, no web — so extraction can run on any worker.

    from extractor import extract
    result = extract(pdf_bytes, file_name="bulletin.pdf")

The public names live in ``extractor.document`` and load on first use, so that a part used alone
(``extractor.entities`` for ``bulletin tag-entities``) does not pay for the PDF reader's imports.
"""

__version__ = "0.1.0"

__all__ = ["extract", "extract_document", "read_document", "find_items", "ParsedDocument", "TextMap", "ExtractionError",
           "EmptyFile", "NotAPDF", "EncryptedPDF", "CorruptPDF", "__version__"]


def __getattr__(name: str):
    # Only the names of extractor.document: "from extractor import pdf" must find the submodule.
    if name not in __all__ and name not in ("ParsedDocument", "TextMap", "_home_area"):
        raise AttributeError(f"module 'extractor' has no attribute {name!r}")
    import importlib

    document = importlib.import_module("extractor.document")  # not "from extractor import": that asks __getattr__
    try:
        return getattr(document, name)
    except AttributeError:
        raise AttributeError(f"module 'extractor' has no attribute {name!r}") from None
