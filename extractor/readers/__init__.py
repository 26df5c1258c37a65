"""Readers of the input kinds other than PDF (extractor/pdf.py, extractor/ocr.py read PDFs).

Fixed-layout kinds (``ofd``, ``image``) give the same ``pdf.Page``s of line segments a PDF gives,
so the same layout code (extractor/layout.py) finds their furniture, blocks and masthead; flowing
kinds (``docx``, ``html``) give ``flow.FlowDocument``s of paragraphs and tables. ``archive`` and
``xml`` are the safe zip and XML access both zip kinds share.
"""
