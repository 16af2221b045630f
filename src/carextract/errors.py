"""The library's exceptions. Every error carextract raises derives from CarextractError."""

from __future__ import annotations


class CarextractError(Exception):
    """Base class of every exception raised by carextract."""


class InputTypeError(CarextractError, TypeError):
    """An argument has the wrong type (for example bytes where str is required)."""

    @classmethod
    def expected(cls, what: str, got: object, *, argument: str = "text") -> "InputTypeError":
        return cls(f"{argument} must be {what}, got {type(got).__name__}")


class ReadError(CarextractError, ValueError):
    """A source could not be read (undecodable bytes, a broken or encrypted PDF, unsafe XML)."""


class WorkerError(CarextractError):
    """A worker process of a batch died (killed, out of memory, os._exit) while extracting a document; the
    batch restarted its pool and went on."""


class MissingDependencyError(CarextractError, ImportError):
    """An optional extra is needed for this call; the message says how to install it."""


class ModelError(CarextractError):
    """The shipped findings model is missing, corrupt or does not match its card."""


class CorpusError(CarextractError, ValueError):
    """A labelled record is malformed (not carextract-gold/1, missing text, bad vocabulary)."""


class RuleError(CarextractError, ValueError):
    """A rule file in the package's data is malformed (a record without examples, a duplicate id)."""
