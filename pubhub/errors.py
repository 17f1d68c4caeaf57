"""Typed errors that carry their HTTP status; one middleware maps them to JSON responses."""

from __future__ import annotations


class PubHubError(Exception):
    status = 400

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class BadRequest(PubHubError):
    status = 400


class Unauthorized(PubHubError):
    status = 401


class Forbidden(PubHubError):
    status = 403


class NotFound(PubHubError):
    status = 404


class Gone(PubHubError):
    status = 410


class RequestTimeout(PubHubError):
    """The request body did not arrive in time."""

    status = 408


class ClientDisconnected(Exception):
    """The client hung up before its request body was read: nobody is left to answer."""


class PayloadTooLarge(PubHubError):
    status = 413


class UnsupportedMediaType(PubHubError):
    status = 415


class Unprocessable(PubHubError):
    status = 422


class SignatureError(PubHubError):
    """An HTTP signature is missing, malformed, or does not verify."""

    status = 401


class FetchError(PubHubError):
    """A remote document could not be fetched or does not count (SSRF guard, type, id)."""

    status = 502


class ActorGone(PubHubError):
    """A remote actor deleted itself: nothing more is taken from it, whatever it signs."""

    status = 410


class DisallowedAddress(FetchError):
    """The remote URL points to an address we must not reach."""

    status = 400


class RuleViolation(PubHubError):
    """A federation rule (origin, ownership, addressing) was broken; the activity is dropped."""

    status = 403


class RefusedByPolicy(FetchError):
    """The policy seam refused a fetch or a delivery: never retried."""

    status = 403
