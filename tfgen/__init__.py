"""tfgen: one YAML inventory in, plain Terraform roots per environment out."""

import time

__version__ = "0.1.0"

# When tfgen's code began to run (after the interpreter's own start-up): a
# plan's timings.json counts its start-up from here.
STARTED = time.monotonic()
