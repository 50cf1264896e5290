"""The WSGI entry point loads the whole application at start and freezes it out of the garbage collector's
sight (in a separate process: freezing this one would change the other tests)."""

import subprocess
import sys


def test_wsgi_loads_every_view_and_freezes_them():
    code = (
        "import gc, sys\n"
        "from kompetansebro.wsgi import application\n"
        "assert 'kompetansebro.offerings.views' in sys.modules\n"
        "assert 'kompetansebro.forums.views.minutes' in sys.modules\n"
        "assert gc.get_freeze_count() > 10000, gc.get_freeze_count()\n"
        "print(callable(application))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
