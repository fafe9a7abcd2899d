"""Score the cleaning stage on an extraction benchmark: python benchmarks/eval_extraction.py DIR."""
import sys

from builder.ingest.evaluate import main

sys.exit(main(sys.argv[1:]))
