"""The Jupyter servers codesign starts for people: JupyterLab for engineers (``codesign lab``),
the Voilà workshop for the room (``codesign workshop``).

Both start through :mod:`codesign.jupyter.launcher`, which refuses to serve without
authentication, checks the port and the user before printing any URL, and stops the server and
its kernels on SIGTERM, SIGINT or SIGHUP. Servers bind to 127.0.0.1 with a token unless told
otherwise, fetch nothing from the internet and open the page their user needs. Nothing here
imports ipywidgets: the forms the pages show live in :mod:`codesign.widgets` and run in the
servers' kernels, not in this process.
"""
