"""What can go wrong with an input file, as exceptions with one clear message each."""


class ExtractionError(Exception):
    """An input that cannot be extracted; the message says why and what to do."""

    hint = ""

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message} ({self.hint})" if self.hint else message


class EmptyFile(ExtractionError):
    hint = "check that the download or copy finished"


class NotAPDF(ExtractionError):
    hint = "only PDF files can be extracted"


class EncryptedPDF(ExtractionError):
    hint = "save an unprotected copy of the PDF and try again"


class CorruptPDF(ExtractionError):
    hint = "the file may be truncated: download it again"


# ---- other input kinds (DOCX, OFD, HTML, images): issue 15. Each has an English hint and a
# Chinese message (``zh``) for the web page.

class UnsupportedFile(NotAPDF):
    """Neither a PDF nor any other kind we read (told from the content, never the file name)."""

    hint = "accepted: PDF, Word (.docx), OFD, a saved web page (.html), JPEG, PNG or TIFF images"
    zh = "不支持的文件类型：可上传 PDF、Word（.docx）、OFD、网页（.html）、JPEG、PNG 或 TIFF 图片"


class LegacyOfficeFile(UnsupportedFile):
    hint = "save it as .docx (Word or WPS: 另存为 .docx) or as PDF and try again"
    zh = "旧版 Word/WPS 文件（.doc/.wps）不能直接读取：请另存为 .docx 或 PDF 后再上传"


class CorruptDocument(ExtractionError):
    hint = "the file may be truncated or damaged: save or download it again"
    zh = "文件已损坏或不完整：请重新保存或下载后再上传"


class EncryptedDocument(ExtractionError):
    hint = "save an unprotected copy and try again"
    zh = "文件已加密：请保存一份未加密的副本后再上传"


class UnsafeDocument(ExtractionError):
    """A file built to exhaust memory or time: a zip bomb, XML entity expansion, a giant image."""

    hint = "the file was refused for safety; if it is a genuine bulletin, save it again as PDF"
    zh = "出于安全考虑拒绝处理该文件（压缩炸弹、XML 实体扩展或超大图片）；如为正常简报，请另存为 PDF 后再上传"


class NoText(ExtractionError):
    hint = "the file holds no readable text (a page of scripts, or only pictures): save the bulletin itself as PDF"
    zh = "文件中没有可读取的正文（只有脚本或图片）：请另存为 PDF 后再上传"
