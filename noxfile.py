"""Sessions: `nox -s tests` (the suite, end-to-end included), `nox -s lint`."""

import nox

nox.options.sessions = ["tests", "lint"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """Unit, golden, CLI and end-to-end tests (e2e skip without terraform/provider)."""
    session.install("-e", ".[test]")
    # Two workers, a test file each: the end-to-end files mostly wait on the emulator
    # and terraform's polling, and each file's applied platform stays in its worker.
    session.run("pytest", "-n", "2", "--dist", "loadfile", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (style, docstrings), mypy --strict, and `tfgen docs --check`."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", "tfgen", "tests", "bench", "noxfile.py")
    session.run("ruff", "format", "--check", "tfgen")
    session.run("mypy")
    # The README's tables and the module READMEs say what the code does.
    session.run("tfgen", "docs", "--check")


@nox.session(default=False)
def e2e(session: nox.Session) -> None:
    """Only the end-to-end tests, required to run (TFGEN_REQUIRE_E2E=1)."""
    session.install("-e", ".[test]")
    session.run("pytest", "-m", "e2e", *session.posargs, env={"TFGEN_REQUIRE_E2E": "1"})
