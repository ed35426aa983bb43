"""mathlint: the verifier engine, one subpackage per stage (sources → latex → claims → check →
fixes/findings → report; pipeline runs them, app is the command line). See docs/architecture.md."""

import os

# One BLAS thread: the checks use NumPy element by element and fork their own workers, and
# OpenBLAS's idle threads would spin beside them (0.06 s of CPU per check on two cores).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
