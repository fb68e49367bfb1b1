"""Writes test/fixtures/shlex-table.json: Python's own shlex.split results, the reference for shlexSplit.

Run once with python3 (standard library only): python3 scripts/gen-shlex-table.py
Each row is {"input": s, "tokens": [...]} or {"input": s, "error": "<Python's ValueError message>"}.
"""

import json
import random
import shlex
import sys
from pathlib import Path

# Characters where a shell-like splitter can go wrong: shlex's own whitespace (space, tab, CR, LF),
# characters Python's str.isspace() (and JavaScript's \s) call space but shlex does not, both quotes,
# the backslash, what a POSIX shell escapes inside double quotes, and letters outside ASCII.
ALPHABET = [
    " ", "\t", "\n", "\r", "\v", "\f", "\u00a0", "\u2003", "\u3000", "\u2028", "\u0085", "\u001c",
    '"', "'", "\\", "$", "`", "#", ";", "|", "&", "(", ")", "*", "~", "=",
    "a", "b", "z", "0", "-", "é", "ß", "\u4e2d", "\U0001f600",
]
WEIGHTS = [5, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 4, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1,
           8, 5, 3, 2, 2, 1, 1, 1, 1]

HAND_PICKED = [
    "", " ", "a", "a b", "  a   b  ", "''", '""', "a''b", "'' ''", '"a b" c', "'a b' c",
    r'"\$HOME"', r'"\`cmd\`"', r'"\""', r'"\\"', r'"\n"', r'"\a"', r"'\''", r"a\ b", r"\'", r'\"',
    "a\\", '"a\\', "'a", '"a', "\\", "a \\", "\\\n", "a\\\nb", "\va\vb\v", "\fa\fb", "a\u00a0b",
    "a\u2003b", "#not a comment", "a #b", "python3 -u", "--lr 0.01 --name 'my run'",
    '--x "1 2" --y \'3 4\' --z 5\\ 6', "\t\r\n", "a\r\nb", '"a"\'b\'c', '"\\\\\\""',
]


def split(s: str) -> dict:
    try:
        return {"input": s, "tokens": shlex.split(s)}
    except ValueError as error:
        return {"input": s, "error": str(error)}


def fuzzed(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        length = rng.choice([1, 2, 3, 4, 6, 8, 12, 20, 32])
        out.append("".join(rng.choices(ALPHABET, WEIGHTS, k=length)))
    return out


def main() -> None:
    rng = random.Random(20260514)
    inputs = list(dict.fromkeys(HAND_PICKED + fuzzed(rng, 3400)))
    rows = [split(s) for s in inputs]
    target = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "shlex-table.json"
    meta = {"python": sys.version.split()[0], "generator": "scripts/gen-shlex-table.py"}
    lines = [json.dumps(row, ensure_ascii=True) for row in rows]
    text = '{"meta": ' + json.dumps(meta) + ',\n"rows": [\n' + ",\n".join(lines) + "\n]}\n"
    target.write_text(text, encoding="utf-8")
    errors = sum(1 for r in rows if "error" in r)
    print(f"{len(rows)} rows ({errors} errors) -> {target}")


if __name__ == "__main__":
    main()
