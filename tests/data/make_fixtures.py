"""Makes the small PDFs the tests need that the samples are not: run it from the repo root.

    python tests/data/make_fixtures.py     (needs: pip install reportlab)
"""

from pathlib import Path

from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

HERE = Path(__file__).parent


def encrypted() -> None:
    """A PDF that needs a user password to open."""
    c = canvas.Canvas(str(HERE / "encrypted.pdf"), invariant=1,
                      encrypt=StandardEncryption(userPassword="secret", ownerPassword="owner", strength=128))
    c.drawString(72, 720, "encrypted")
    c.showPage()
    c.save()


if __name__ == "__main__":
    encrypted()
