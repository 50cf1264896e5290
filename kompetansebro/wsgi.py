import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetansebro.settings")
application = get_wsgi_application()

# Import every view now rather than on the first request, then move everything loaded so far out of the garbage
# collector's sight: it lives as long as the process, and each full collection walked it again (~100 ms pauses
# every few requests on the national catalogue; see docs/performance.md).
get_resolver().url_patterns  # noqa: B018 - evaluated for its imports
gc.freeze()
