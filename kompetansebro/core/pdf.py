"""PDF documents (notices, minutes, decisions, reports) rendered by WeasyPrint from our own HTML templates,
without network access: the URL fetcher serves our static files from disk and data: URLs, and refuses
everything else.

WeasyPrint is imported when the first PDF is made, not with the app: it adds ~45 000 objects to every
process, which every full garbage collection then walks (~50 ms per collection on the catalogue pages)."""

import logging
import mimetypes
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders

# Relative and root-relative URLs in a PDF template resolve against this, so /static/… becomes
# file:///static/…, which the fetcher looks up among the static files.
PDF_BASE_URL = "file:///"


def local_file_for(url: str) -> Path | None:
    """The static file a file:///static/… URL names, or None for anything else."""
    parsed = urlparse(url)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if parsed.scheme != "file" or parsed.netloc or not parsed.path.startswith(static_prefix):
        return None
    relative = unquote(parsed.path[len(static_prefix) :])
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found is None and settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / relative
        found = str(candidate) if candidate.is_file() else None
    return Path(found) if found else None


@cache
def _fetcher_class():
    # WeasyPrint logs every rendering step at INFO.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):
        """Serves /static/… from the project's static files and data: URLs; refuses the network and any
        other file on disk."""

        def __init__(self):
            super().__init__(allowed_protocols=("file", "data"), fail_on_errors=False)

        def fetch(self, url, headers=None):
            if urlparse(url).scheme == "data":
                return super().fetch(url, headers)
            found = local_file_for(url)
            if found is None:
                raise ValueError(f"Refused to fetch {url!r}: PDF documents only use local static files.")
            content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": content_type})

    return LocalOnlyFetcher


def local_only_fetcher():
    return _fetcher_class()()


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=local_only_fetcher()).write_pdf()
