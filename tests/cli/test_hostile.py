"""Hostile input against the command line.

Bad arguments and files end with exit code 2 and a one-line message.
"""

from __future__ import annotations

import pytest
from hostile import TMP, is_panic, write


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["report", "--force", "Atlantis"], "Atlantis"),
        (["report", "--data", "__missing__.csv"], "__missing__.csv"),
        (["report", "--format", "pdf"], "pdf"),
        (["report", "--data", "garbage.csv"], "garbage.csv"),
    ],
)
def test_cli_refuses_bad_input_with_exit_code_2(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from groomstats.cli import main

    write("garbage.csv", "x\x00\x01")
    argv = [str(TMP / a) if a.endswith(".csv") else a for a in argv]
    try:
        code = main([*argv, "--out", str(TMP / "report")])
    except SystemExit as e:  # argparse
        code = e.code  # type: ignore[assignment]
    except BaseException as e:
        assert not is_panic(e)
        pytest.fail(f"the CLI raised {type(e).__name__}: {e}")
    assert code == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err, err
