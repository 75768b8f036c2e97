"""Finish the new project: the charter from its preset, the report notebook, git.

The work is done by codesign.scaffold (importable and tested); this file only hands it
cookiecutter's answers, double-encoded as JSON so that no answer can become Python code here.
Cookiecutter runs it inside the new project folder and removes that folder if it fails.
"""

import sys
from pathlib import Path

try:
    from codesign.exceptions import CodesignError
    from codesign.scaffold.hooks import post_generate
except ImportError:
    sys.exit("codesign is not installed in this Python; install it to use this template")

try:
    post_generate({{ cookiecutter | jsonify | tojson }}, Path.cwd())
except CodesignError as e:
    sys.exit(f"codesign: error: {e}")
