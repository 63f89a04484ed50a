"""Find a Java runtime Neo4j 5.26 accepts (17 or 21): ``$JAVA_HOME`` first, then ``PATH``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from ..errors import JavaNotFound

SUPPORTED_JAVA = (17, 21)
_VERSION_RE = re.compile(r'version "(\d+)(?:\.(\d+))?')


def parse_java_major(version_output: str) -> int | None:
    """Major version from ``java -version`` output.

    >>> parse_java_major('openjdk version "17.0.15" 2025-04-15')
    17
    >>> parse_java_major('java version "1.8.0_401"')
    8
    >>> parse_java_major('nonsense') is None
    True
    """
    m = _VERSION_RE.search(version_output)
    if not m:
        return None
    major = int(m.group(1))
    if major == 1 and m.group(2):  # "1.8" style
        major = int(m.group(2))
    return major


def find_java() -> tuple[Path, int]:
    """Return the java executable and its major version, or raise JavaNotFound."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        where = f"JAVA_HOME={java_home}"
        if not candidate.exists():
            raise JavaNotFound(
                f"JAVA_HOME points to {java_home}, which has no bin/java.",
                hint="Set JAVA_HOME to a Java 17 or 21 installation, or unset it to use java from PATH "
                "(Debian: apt-get install openjdk-17-jre-headless).",
            )
    else:
        found = shutil.which("java")
        if not found:
            raise JavaNotFound(
                "Java not found: JAVA_HOME is not set and there is no java on PATH.",
                hint="Install Java 17 or 21 (Debian: apt-get install openjdk-17-jre-headless) "
                "or set JAVA_HOME.",
            )
        candidate, where = Path(found), f"PATH ({found})"
    try:
        out = subprocess.run([str(candidate), "-version"], capture_output=True, text=True, timeout=60)
    except OSError as exc:
        raise JavaNotFound(f"Java from {where} cannot run: {exc}",
                           hint="Set JAVA_HOME to a working Java 17 or 21.") from exc
    major = parse_java_major(out.stderr + out.stdout)
    if major not in SUPPORTED_JAVA:
        shown = major if major is not None else "unknown"
        raise JavaNotFound(
            f"Neo4j 5.26 needs Java 17 or 21, but the Java from {where} is version {shown}.",
            hint="Set JAVA_HOME to a Java 17 or 21 installation.",
        )
    return candidate, major
