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
