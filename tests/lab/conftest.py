import sys
from pathlib import Path

# Chromium is launched the way the book's browser tests launch it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book"))
