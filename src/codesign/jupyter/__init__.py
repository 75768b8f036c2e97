"""Jupyter servers on a project: JupyterLab for engineers, the Voilà workshop for the room.

Both start through :mod:`codesign.jupyter.launcher`, which refuses to serve without
authentication, checks the port and the user before printing any URL, and stops the server and
its kernels on SIGTERM, SIGINT or SIGHUP.
"""
