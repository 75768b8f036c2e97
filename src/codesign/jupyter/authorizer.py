"""What a workshop link allows: the pages and their own kernels, nothing more.

The facilitator shares one link with the room, token included. Jupyter's default authorizer lets
a token holder do anything the server can: start kernels through the REST API, write files,
open terminals. The workshop needs none of that (Voilà starts each page's kernel itself), so its
server runs with this authorizer: reading and the page kernels' channels only; no kernel,
session or file written through the API, no terminal. ``codesign lab``, for engineers, keeps
Jupyter's default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from jupyter_server.auth.authorizer import Authorizer

if TYPE_CHECKING:
    from jupyter_server.auth.identity import User
    from jupyter_server.base.handlers import JupyterHandler

ALLOWED_ACTIONS: Final = frozenset({"read", "execute"})
"""``execute`` on ``kernels`` is a page's own kernel channel (its widgets)."""
DENIED_RESOURCES: Final = frozenset({"terminals"})


class WorkshopAuthorizer(Authorizer):
    """Reads and kernel channels only: every write through the REST API is refused (403)."""

    def is_authorized(
        self, handler: JupyterHandler, user: User, action: str, resource: str
    ) -> bool:
        del handler, user  # one token, one kind of visitor
        return action in ALLOWED_ACTIONS and resource not in DENIED_RESOURCES
