"""Errors the service layer raises; the API maps each to one HTTP status with its message."""
from __future__ import annotations


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, **extra: object) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class NotFound(ServiceError):
    status, code = 404, "not_found"


class Forbidden(ServiceError):
    status, code = 403, "forbidden"


class Conflict(ServiceError):
    """The request is well-formed but the case is not in a state that allows it."""

    status, code = 409, "conflict"


class Invalid(ServiceError):
    status, code = 422, "invalid"


class TooLarge(ServiceError):
    status, code = 413, "too_large"


class Unauthorized(ServiceError):
    status, code = 401, "unauthorized"


class RateLimited(ServiceError):
    status, code = 429, "rate_limited"
