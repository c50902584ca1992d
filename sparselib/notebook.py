"""Numbers that a chapter's prose states, taken from the code that computes them.

A chapter writes ``{glue:text}`acc_test``` in its markdown, and a code cell calls
``glue("acc_test", accuracy, ".1%")``. The book build (myst-nb) puts the glued text in
place of the role, so the page cannot state a number its own code did not produce. The
value is formatted here, once, with the same format spec as the printed output beside it,
so the glued text is exactly what nbval pins; no float ``repr`` with CPU-dependent last
digits reaches the page.

The output written is the one ``myst_nb.glue(name, value, display=False)`` writes
(a ``display_data`` whose mime type carries the ``application/papermill.record/`` prefix
and whose metadata names the key), made without importing myst-nb, which Colab lacks.
In Jupyter and Colab the cell shows nothing; the markdown shows the role's source.
"""
from __future__ import annotations

from typing import Any, Optional

__all__ = ["glue", "GLUE_PREFIX"]

#: Mime-type prefix of a glued value that is not displayed (the one myst-nb reads).
GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, value: Any, fmt: Optional[str] = None) -> str:
    """Record ``value`` under ``name`` for the markdown of the same notebook.

    Parameters
    ----------
    name : str
        Key used in the markdown: ``{glue:text}`name```. A Python identifier, unique in
        the notebook.
    value : object
        The value. Numbers are formatted with ``fmt``; strings are glued as they are.
    fmt : str, optional
        A format spec (``".1%"``, ``".3f"``, ``"d"``, ``","``); ``None`` glues ``str(value)``.

    Returns
    -------
    str
        The glued text, so a cell can print exactly what the prose will show:
        ``print(f"test accuracy {glue('acc_test', acc, '.1%')}")``.

    Examples
    --------
    >>> glue("n_units", 400, "d")  # outside IPython nothing is displayed
    '400'
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"The 'name' parameter of glue must be a Python identifier "
                         f"(letters, digits, underscores). Got {name!r} instead.")
    if fmt is not None and not isinstance(fmt, str):
        raise TypeError(f"The 'fmt' parameter of glue must be a format spec string such as "
                        f"'.1%' or None. Got {type(fmt).__name__} instead.")
    if hasattr(value, "item") and getattr(value, "ndim", 0) == 0:
        value = value.item()  # 0-d tensors and numpy scalars format as Python numbers
    try:
        text = str(value) if fmt is None else format(value, fmt)
    except (TypeError, ValueError) as error:
        raise ValueError(f"glue could not format {name!r} = {value!r} with fmt={fmt!r}: "
                         f"{error}") from None
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python: nothing to record into
        return text
    if get_ipython() is not None:
        display({GLUE_PREFIX + "text/plain": text}, raw=True,
                metadata={"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}})
    return text
