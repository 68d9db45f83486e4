#!/usr/bin/env python3
"""Regenerate the Noto Serif CJK SC subsets shipped in this folder.

ibid compiles these fonts into its binary so that the thesis's Chinese renders
on a machine with no CJK font installed. The subsets hold every character at or
above U+2000 that the project's sources use (thesis/, bibliography/,
tests/fixtures/), plus common CJK punctuation, so they stay small (a few hundred
kilobytes instead of 26 MB).

Run it after adding Chinese text the subset lacks (`ibid build` warns about such
characters as missing glyphs):

    apt-get install fonts-noto-cjk && pip install fonttools
    python3 fonts/subset.py

Noto Serif CJK is licensed under the SIL Open Font License 1.1 (OFL.txt).
"""

import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCES = ["thesis", "bibliography", "tests/fixtures"]
SUFFIXES = {".typ", ".yaml", ".yml", ".bib", ".txt", ".csl"}
# Characters every Chinese text may need even if the sources lack them today.
BASE = "，。、；：？！“”‘’（）《》〈〉【】「」『』…—·～"
# Index 2 of the Debian/Google collections is Simplified Chinese.
COLLECTIONS = {
    "Regular": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "Bold": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
}
SC_INDEX = 2
# Left out on purpose: the missing-glyph test needs a character no shipped
# font covers.
EXCLUDED = {"\U00013000"}


def used_characters() -> str:
    chars = set(BASE)
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file():
                text = path.read_text(encoding="utf-8", errors="ignore")
                chars.update(c for c in text if ord(c) >= 0x2000)
    return "".join(sorted(chars - EXCLUDED))


def main() -> int:
    text = used_characters()
    (HERE / "subset-characters.txt").write_text(text + "\n", encoding="utf-8")
    for weight, collection in COLLECTIONS.items():
        out = HERE / f"NotoSerifCJKsc-{weight}-subset.otf"
        subprocess.run(
            [
                sys.executable, "-m", "fontTools.subset", collection,
                f"--font-number={SC_INDEX}",
                f"--text-file={HERE / 'subset-characters.txt'}",
                "--layout-features=*",
                "--name-IDs=*",
                "--name-languages=*",
                "--notdef-outline",
                f"--output-file={out}",
            ],
            check=True,
        )
        print(f"{out.name}: {out.stat().st_size} bytes, {len(text)} characters requested")
    return 0


if __name__ == "__main__":
    sys.exit(main())
