"""Refuse unsafe or invalid answers before cookiecutter writes any file.

The checks live in codesign.scaffold (importable and tested); this file only hands them
cookiecutter's answers, double-encoded as JSON so that no answer can become Python code here.
"""

import sys

try:
    from codesign.exceptions import CodesignError
    from codesign.scaffold.hooks import pre_generate
except ImportError:
    sys.exit("codesign is not installed in this Python; install it to use this template")

try:
    pre_generate({{ cookiecutter | jsonify | tojson }})
except CodesignError as e:
    sys.exit(f"codesign: error: {e}")
