"""French typography on the French pages: a no-break space inside « » and before ; : ! ?

The interface's own French is typeset in its catalogue, but the record's words (the
article's text, passages, summaries) come as their authors typed them, with plain spaces:
a lone » or ? could then start a line. One pass over each French page fixes them all,
wherever they are printed.
"""

import re

NO_BREAK = "\u00a0"
#: A plain space after « or before » ; : ! ? (a no-break one is left as it is).
_OPENING = re.compile(r"« +")
_CLOSING = re.compile(r" +([»;:!?])")
#: Not inside these, where spaces are code, not prose.
_LEFT_ALONE = re.compile(r"(<(script|style|pre|code|textarea)\b.*?</\2>)", re.DOTALL | re.I)


def typeset(html):
    """`html` with the French no-break spaces, outside scripts, styles and code."""
    parts = _LEFT_ALONE.split(html)
    out = []
    index = 0
    while index < len(parts):
        text = parts[index]
        out.append(_CLOSING.sub(NO_BREAK + r"\1", _OPENING.sub("«" + NO_BREAK, text)))
        if index + 1 < len(parts):
            out.append(parts[index + 1])  # the left-alone element, as it was
        index += 3
    return "".join(out)


class FrenchTypographyMiddleware:
    """Typesets the public French pages (HTML under /fr/), before the page cache keeps
    them and before their length is counted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return typeset_response(request, self.get_response(request))


def typeset_response(request, response):
    """Typeset `response` if it is a French page, once: a page kept after it was typeset
    (`alliance.public.caching`) is marked so, and left as it is."""
    if getattr(response, "typeset", False):
        return response
    if (
        request.path.startswith("/fr/")
        and response.status_code in (200, 400, 404)
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
    ):
        text = response.content.decode(response.charset)
        response.content = typeset(text).encode(response.charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
    response.typeset = True
    return response
