"""The Neo4j distribution (jars) assembled from Maven Central with the pinned pom.xml.

Cached once per version under ``$CHAINKG_HOME/dist/neo4j-<version>``: ``lib/`` holds the
server and the Browser, ``plugins/`` APOC. A second call downloads nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import DistributionError, MavenNotFound
from ..paths import chainkg_home

_NS = {"m": "http://maven.apache.org/POM/4.0.0"}
_COMPLETE = ".complete"


def pom_path() -> Path:
    return Path(str(resources.files("chainkg.server") / "pom.xml"))


def pinned_versions() -> dict[str, str]:
    """The versions written in the shipped pom.xml: ``neo4j``, ``neo4j-browser``, ``apoc``."""
    root = ET.parse(pom_path()).getroot()
    props = root.find("m:properties", _NS)
    if props is None:
        raise DistributionError(f"{pom_path()}: no <properties>, where the shipped pom.xml names the pinned versions.")
    out = {}
    for child in props:
        tag = child.tag.split("}")[1]
        if tag.endswith(".version") and tag != "project.build.sourceEncoding":
            out[tag.removesuffix(".version")] = (child.text or "").strip()
    return out


@dataclass(frozen=True)
class Distribution:
    root: Path
    version: str

    @property
    def lib(self) -> Path:
        return self.root / "lib"

    @property
    def plugins(self) -> Path:
        return self.root / "plugins"

    def is_complete(self) -> bool:
        return (self.root / _COMPLETE).exists()


def distribution_dir(version: str | None = None) -> Path:
    version = version or pinned_versions()["neo4j"]
    return chainkg_home() / "dist" / f"neo4j-{version}"


def _artifact_name(jar: str) -> str:
    """``commons-lang3-3.12.0.jar`` -> ``commons-lang3``."""
    return re.sub(r"-\d[\w.\-]*\.jar$", "", jar)


def _mvn(args: list[str]) -> None:
    mvn = shutil.which("mvn")
    if not mvn:
        raise MavenNotFound(
            "Maven (mvn) not found on PATH; it is needed once to fetch the Neo4j jars from Maven Central.",
            hint="Install Maven (Debian: apt-get install maven), or put a machine-local copy of "
            f"the jars in {distribution_dir()} (lib/, plugins/).",
        )
    cmd = [mvn, "-B", "-ntp", "-q", "-f", str(pom_path()), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise DistributionError(
            f"Maven could not assemble the Neo4j distribution (exit {proc.returncode}):\n{tail}",
            hint="Check that Maven Central is reachable (MAVEN_OPTS, ~/.m2/settings.xml).",
        )


def ensure_distribution(log=None) -> Distribution:
    """Return the cached distribution, assembling it first if needed."""
    version = pinned_versions()["neo4j"]
    final = distribution_dir(version)
    dist = Distribution(final, version)
    if dist.is_complete():
        return dist
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".neo4j-{version}-", dir=final.parent))
    try:
        if log:
            log(f"Fetching Neo4j {version} from Maven Central into {final} (once) ...")
        _mvn(["-P", "server", "dependency:copy-dependencies", "-DincludeScope=runtime",
              f"-DoutputDirectory={work / 'lib'}"])
        _mvn(["-P", "plugins", "dependency:copy-dependencies", "-DincludeScope=runtime",
              f"-DoutputDirectory={work / 'plugins'}"])
        # APOC's own dependencies that the server already ships would be loaded twice.
        in_lib = {_artifact_name(p.name) for p in (work / "lib").glob("*.jar")}
        for jar in (work / "plugins").glob("*.jar"):
            if _artifact_name(jar.name) in in_lib:
                jar.unlink()
        (work / _COMPLETE).write_text(version + "\n")
        if final.exists():
            shutil.rmtree(final)
        os.replace(work, final)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return dist
