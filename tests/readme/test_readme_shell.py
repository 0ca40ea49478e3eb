"""The README's shell blocks are documented, not run (they download or build): every
``groomstats`` command line in them must still parse with the command's own parser, so an
option the README shows (``--edition latest``, ``--data`` ...) exists."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from groomstats.cli import _parser

README = Path(__file__).resolve().parents[2] / "README.md"


def groomstats_commands(text: str) -> list[list[str]]:
    blocks = re.findall(r"^```(?:bash|sh|shell)\n(.*?)^```", text, flags=re.S | re.M)
    out = []
    for block in blocks:
        for line in block.splitlines():
            for part in line.split("&&"):
                words = shlex.split(part, comments=True)
                if words and words[0] == "groomstats":
                    out.append(words[1:])
    return out


def test_every_groomstats_command_line_parses() -> None:
    commands = groomstats_commands(README.read_text(encoding="utf-8"))
    assert ["report", "--edition", "latest", "--out", "report/"] in commands
    parser = _parser()
    for argv in commands:
        args = parser.parse_args(argv)
        assert args.command == "report", argv
    editions = [a for a in commands if "--edition" in a]
    assert {a[a.index("--edition") + 1] for a in editions} >= {"latest", "300125"}
