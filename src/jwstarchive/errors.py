"""Every exception and warning jwstarchive raises: one hierarchy, messages written for a person.

Exceptions here do not know HTTP; ``server/errors.py`` maps them to statuses and documents.
"""

from __future__ import annotations

__all__ = [
    "ADQLError",
    "ADQLSyntaxError",
    "ArchiveError",
    "AuthenticationError",
    "ChecksumMismatch",
    "ConfigError",
    "DeprecatedOption",
    "DownloadError",
    "IngestError",
    "InputError",
    "InvalidPhase",
    "JWSTArchiveError",
    "JWSTArchiveWarning",
    "JobError",
    "NameResolutionError",
    "OverflowWarning",
    "QueryFailed",
    "QueryRefused",
    "ServiceError",
    "ServiceUnavailable",
    "SizeMismatch",
    "UnknownJob",
    "UnsupportedFeature",
]


class JWSTArchiveError(Exception):
    """Base of every error jwstarchive raises; ``message`` is written for a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(JWSTArchiveError):
    """A bad option, environment variable or config file."""


class InputError(JWSTArchiveError, ValueError):
    """A bad identifier, coordinate, instrument, filter or date."""


class NameResolutionError(InputError):
    """A target name no resolver knows."""


class ADQLError(JWSTArchiveError):
    """An ADQL query that cannot be run; ``line`` and ``column`` are 1-based when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        where = f" (line {line}, column {column})" if line is not None and column is not None else ""
        super().__init__(message + where)
        self.line = line
        self.column = column


class ADQLSyntaxError(ADQLError):
    """Text that is not valid ADQL 2.1."""


class QueryRefused(ADQLError):
    """Valid ADQL that asks for something not allowed (unknown table, forbidden function, ...)."""


class UnsupportedFeature(ADQLError):
    """Valid ADQL that this backend cannot run."""


class ServiceError(JWSTArchiveError):
    """A remote service failed; ``url`` and ``status`` say where and how."""

    def __init__(self, message: str, url: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class QueryFailed(ServiceError):
    """The service answered a query with an error."""


class AuthenticationError(ServiceError):
    """Login failed, or a token is missing, invalid or does not grant the data."""


class ServiceUnavailable(ServiceError):
    """The service could not be reached or is not available."""


class DownloadError(JWSTArchiveError):
    """A file could not be downloaded; ``url`` and ``path`` say which."""

    def __init__(self, message: str, url: str | None = None, path: str | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.path = path


class ChecksumMismatch(DownloadError):
    """Downloaded bytes do not match the catalog checksum."""


class SizeMismatch(DownloadError):
    """Downloaded bytes do not match the catalog size."""


class ArchiveError(JWSTArchiveError):
    """A bad archive directory or a store failure."""


class IngestError(ArchiveError):
    """A file that cannot be ingested; ``path`` says which."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class JobError(JWSTArchiveError):
    """A UWS job problem."""


class UnknownJob(JobError):
    """No job with that id (or not visible to the caller)."""


class InvalidPhase(JobError):
    """A phase change the UWS state machine does not allow."""


class JWSTArchiveWarning(UserWarning):
    """Base of every warning jwstarchive issues."""


class OverflowWarning(JWSTArchiveWarning):
    """A result was cut at MAXREC."""


class DeprecatedOption(JWSTArchiveWarning):
    """An option that still works but will go away."""
