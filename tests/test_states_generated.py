"""registry/states.yml is what scripts/generate_states.py makes from pycountry's ISO 3166 data
and the overlay: a hand edit of the generated file, or an overlay change not regenerated,
fails here (the registry guide says: edit the overlay, run the script)."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_states_file_is_what_the_generator_writes():
    result = subprocess.run([sys.executable, "scripts/generate_states.py", "--check"], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
