"""Errors the service layer raises; the API maps each to one HTTP status with its message."""
from __future__ import annotations


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, **extra: object) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra

    def headers(self) -> dict[str, str]:
        """HTTP headers the reply carries besides the JSON body."""
        return {}


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
    """Too many requests; every 429 says when to come back, in the body and in ``Retry-After``."""

    status, code = 429, "rate_limited"

    def __init__(self, message: str, *, retry_after_s: int, **extra: object) -> None:
        self.retry_after_s = max(1, int(retry_after_s))
        super().__init__(message, retry_after_s=self.retry_after_s, **extra)

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_s)}
