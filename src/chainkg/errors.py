"""One exception hierarchy for the whole library.

Only the CLI turns these into messages and exit codes: ``exit_code`` 1 means a data
problem (validation errors, a refused or failed load), 2 a usage or environment problem
(bad option, Java missing, server unreachable).
"""

from __future__ import annotations


class ChainKGError(Exception):
    """Base class; ``hint`` says how to fix it."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  Hint: {self.hint}"


class UsageError(ChainKGError):
    """A bad option, an unknown name, an ambiguous name."""


class EnvironmentProblem(ChainKGError):
    """Something on the machine is missing or busy: Java, Maven, a port."""


class JavaNotFound(EnvironmentProblem):
    pass


class MavenNotFound(EnvironmentProblem):
    pass


class DistributionError(EnvironmentProblem):
    """The Neo4j jars could not be assembled from Maven Central."""


class PortBusy(EnvironmentProblem):
    pass


class PasswordMismatch(EnvironmentProblem):
    pass


class ServerError(EnvironmentProblem):
    """The local server failed to start, stop or answer."""


class ConnectionProblem(EnvironmentProblem):
    """Neo4j unreachable or credentials refused."""


class DataError(ChainKGError):
    """The data itself is wrong; carries the list of problems."""

    exit_code = 1

    def __init__(self, message: str, problems=None, hint: str | None = None):
        super().__init__(message, hint)
        self.problems = list(problems or [])


class LoadError(DataError):
    """A load that stopped midway; ``report`` says what was and was not written."""

    def __init__(self, message: str, report=None, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.report = report
