"""Run by checkov's own Python: import checkov now, scan when told to.

Importing checkov takes longer than its scan of a plan; tfgen starts this while
terraform is still planning, so the import is done by the time the plan is.
It reads one line on stdin: ``scan`` runs checkov with the arguments it was
started with, exactly as checkov's own ``checkov`` command does; end of input
(the plan failed, or was interrupted) ends it without a scan.

Standard library only, and nothing of tfgen: it runs in checkov's virtualenv,
whose ``hcl2`` is another package than tfgen's.
"""

import json
import os
import sys
import time
import warnings

# checkov reads its arguments (and config file locations) from sys.argv.
sys.argv = ["checkov", *sys.argv[1:]]
started = time.perf_counter()
with warnings.catch_warnings():  # as checkov's own console script
    warnings.simplefilter("ignore", category=SyntaxWarning)
    from checkov.main import Checkov  # type: ignore[import-not-found]
imported = time.perf_counter()
if sys.stdin.readline().strip() != "scan":
    sys.exit(0)
asked = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore", category=SyntaxWarning)
    code = Checkov(sys.argv[1:]).run()
with open("timing.json", "w", encoding="utf-8") as handle:
    json.dump({"import_s": imported - started, "scan_s": time.perf_counter() - asked}, handle)
# The report is written and closed by now. A normal exit would first free
# checkov's whole heap, object by object: about a second spent on nothing.
sys.stdout.flush()
sys.stderr.flush()
os._exit(code if isinstance(code, int) else 0)
