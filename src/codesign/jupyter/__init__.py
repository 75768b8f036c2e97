"""The Jupyter servers codesign starts for people: JupyterLab for engineers (``codesign lab``).

Servers bind to 127.0.0.1 with a token unless told otherwise, fetch nothing from the internet
and open the page their user needs. Nothing here imports ipywidgets: the forms the pages show
live in :mod:`codesign.widgets` and run in the servers' kernels, not in this process.
"""
