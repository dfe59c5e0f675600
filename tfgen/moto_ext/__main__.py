"""``python -m tfgen.moto_ext``: which extensions plain moto now covers itself.

Runs every extension's check against the installed moto, unextended, and prints
one line per extension, then the ones that can be dropped. Exits 0.
"""

from __future__ import annotations

import sys

from moto import __version__ as moto_version

from tfgen.moto_ext import extensions
from tfgen.moto_ext._selfcheck import check_against_plain_moto


def main() -> int:
    """Print, for each extension, whether plain moto passes its check."""
    verdicts = [check_against_plain_moto(extension) for extension in extensions()]
    width = max(len(verdict.extension.name) for verdict in verdicts)
    print(f"moto {moto_version}: each extension's check against plain moto")
    for verdict in verdicts:
        state = "covered by moto" if verdict.covered else "still needed"
        detail = f"  ({verdict.detail})" if verdict.detail else ""
        print(f"  {verdict.extension.name:<{width}}  {state}{detail}")
    covered = [verdict.extension.name for verdict in verdicts if verdict.covered]
    if covered:
        print(f"moto now covers {len(covered)}; drop them: {', '.join(covered)}")
    else:
        print("moto covers none of them yet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
