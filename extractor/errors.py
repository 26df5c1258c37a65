"""What can go wrong with an input file, as exceptions with one clear message each, in English and
in Chinese (the web page's users read Chinese; the CLI, logs and the API's ``error`` stay English).

Every error class says, as class attributes:

- ``hint``: what to do, in English (added to the message in brackets);
- ``reason_zh``: what is wrong, in Chinese — used when the ``raise`` gives no Chinese of its own;
- ``hint_zh``: what to do, in Chinese.

A ``raise`` gives the English detail and may give a Chinese one with ``zh=`` (with the numbers the
English has); ``e.zh`` is the Chinese message a person reads, ``str(e)`` the English one::

    class NotAnOFD(ExtractionError):                     # a new input format: three attributes
        hint = "only OFD files (GB/T 33190) can be read here"
        reason_zh = "不是 OFD 文件"
        hint_zh = "这里只能读取 OFD 文件（GB/T 33190）"

    raise TooManyPages(f"the PDF has {n} pages, more than the limit of {m}",
                       zh=f"PDF 有 {n} 页，超过上限 {m} 页")
    e.zh  # "PDF 有 1200 页，超过上限 1000 页（请拆分 PDF，或调高 BULLETIN_MAX_PAGES）"

``Message`` is a message in both languages where a plain string is expected: ``str(m)`` is the
English, ``m.zh`` the Chinese. ``describe_error`` (service/worker.py) returns one, a job keeps both
(``jobs.error``, ``jobs.error_zh``), and an exception built from one keeps its Chinese.
"""

from __future__ import annotations


class Message(str):
    """An English message that carries its Chinese: ``str(m)`` (and m itself) is English, ``m.zh`` Chinese."""

    zh: str

    def __new__(cls, en: str, zh: str | None = None) -> "Message":
        obj = super().__new__(cls, en)
        obj.zh = zh if zh is not None else getattr(en, "zh", None) or en
        return obj

    def __reduce__(self):  # to worker processes and Ray actors and back
        return (Message, (str(self), self.zh))


def zh_of(message, fallback: str | None = None) -> str:
    """The Chinese of a message: its ``zh`` where it has one, else ``fallback`` (else the message)."""
    return getattr(message, "zh", None) or fallback or str(message)


class ExtractionError(Exception):
    """An input that cannot be extracted; the message says why and what to do."""

    hint = ""
    reason_zh = "文件无法提取"
    hint_zh = ""

    def __init__(self, message: str = "", *, zh: str | None = None):
        super().__init__(message)
        # the Chinese detail given at the raise (or carried by a Message); pickled with the exception
        self.detail_zh = zh or getattr(message, "zh", None)

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message} ({self.hint})" if self.hint else message

    @property
    def zh(self) -> str:
        """The message in Chinese: what is wrong (the raise's detail, else the class's) and what to do."""
        reason = self.detail_zh or self.reason_zh
        if self.hint_zh and self.hint_zh not in reason:
            return f"{reason}（{self.hint_zh}）"
        return reason

    def message(self) -> Message:
        """Both languages as one ``Message``."""
        return Message(str(self), self.zh)


class EmptyFile(ExtractionError):
    hint = "check that the download or copy finished"
    reason_zh = "文件是空的（0 字节）"
    hint_zh = "请检查下载或复制是否已完成"


class NotAPDF(ExtractionError):
    hint = "only PDF files can be extracted"
    reason_zh = "这不是 PDF 文件（文件开头没有 %PDF- 标记）"
    hint_zh = "只能提取 PDF 文件；Word、WPS 或图片请先另存为 PDF"


class EncryptedPDF(ExtractionError):
    hint = "save an unprotected copy of the PDF and try again"
    reason_zh = "PDF 已加密，需要密码才能打开"
    hint_zh = "请另存一份未加密的 PDF 后再上传"


class CorruptPDF(ExtractionError):
    hint = "the file may be truncated: download it again"
    reason_zh = "PDF 文件已损坏或不完整，无法读取"
    hint_zh = "文件可能没有下载完整，请重新下载"


# ---- other input kinds (DOCX, OFD, HTML, images): issue 15

class UnsupportedFile(NotAPDF):
    """Neither a PDF nor any other kind we read (told from the content, never the file name)."""

    hint = "accepted: PDF, Word (.docx), OFD, a saved web page (.html), JPEG, PNG or TIFF images"
    reason_zh = "不支持的文件类型"
    hint_zh = "可上传 PDF、Word（.docx）、OFD、网页（.html）、JPEG、PNG 或 TIFF 图片"


class LegacyOfficeFile(UnsupportedFile):
    hint = "save it as .docx (Word or WPS: 另存为 .docx) or as PDF and try again"
    reason_zh = "旧版 Word/WPS 文件（.doc/.wps）不能直接读取"
    hint_zh = "请另存为 .docx 或 PDF 后再上传"


class CorruptDocument(ExtractionError):
    hint = "the file may be truncated or damaged: save or download it again"
    reason_zh = "文件已损坏或不完整"
    hint_zh = "请重新保存或下载后再上传"


class EncryptedDocument(ExtractionError):
    hint = "save an unprotected copy and try again"
    reason_zh = "文件已加密"
    hint_zh = "请保存一份未加密的副本后再上传"


class UnsafeDocument(ExtractionError):
    """A file built to exhaust memory or time: a zip bomb, XML entity expansion, a giant image."""

    hint = "the file was refused for safety; if it is a genuine bulletin, save it again as PDF"
    reason_zh = "出于安全考虑拒绝处理该文件（压缩炸弹、XML 实体扩展或超大图片）"
    hint_zh = "如为正常简报，请另存为 PDF 后再上传"


class NoText(ExtractionError):
    hint = "the file holds no readable text (a page of scripts, or only pictures): save the bulletin itself as PDF"
    reason_zh = "文件中没有可读取的正文（只有脚本或图片）"
    hint_zh = "请另存为 PDF 后再上传"
