"""Audit requirements.lock with pip-audit; run by scripts/test.sh.

Exit status: 0 when pip-audit checked the packages and found no known vulnerability, 1 when it found one
(or failed), 3 when the vulnerability service answered for none of them (no network to PyPI's JSON API):
then nothing was checked, and the caller must say so rather than pass silently.
"""

import json
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
LOCK = PROJECT_DIR / "requirements.lock"
UNREACHABLE = 3


def main() -> int:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    result = subprocess.run(  # noqa: S603 - fixed command, our own lock file
        [str(pip_audit), "-r", str(LOCK), "--disable-pip", "--progress-spinner", "off", "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout, result.stderr, sep="\n")
        return 1
    dependencies = report["dependencies"]
    audited = [dependency for dependency in dependencies if "skip_reason" not in dependency]
    vulnerable = [dependency for dependency in audited if dependency.get("vulns")]
    for dependency in vulnerable:
        for vulnerability in dependency["vulns"]:
            fixed = ", ".join(vulnerability.get("fix_versions") or []) or "no fixed release"
            print(f"{dependency['name']} {dependency['version']}: {vulnerability['id']} (fixed in {fixed})")
    print(f"pip-audit: {len(dependencies)} pinned packages, {len(audited)} audited, {len(vulnerable)} vulnerable")
    if vulnerable:
        return 1
    if dependencies and not audited:
        print(dependencies[0]["skip_reason"])
        return UNREACHABLE
    return 0


if __name__ == "__main__":
    sys.exit(main())
