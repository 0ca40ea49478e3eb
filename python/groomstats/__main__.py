"""``python -m groomstats``: the ``groomstats`` command line (:mod:`groomstats.cli`)."""

from groomstats.cli import main

if __name__ == "__main__":  # pragma: no cover - run as a module
    raise SystemExit(main())
