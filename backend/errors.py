"""Domain errors. Each carries the stable code and HTTP status of docs/api.md and a Chinese message;
the API turns them into its one error shape, the CLI and admin show the message."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class DomainError(Exception):
    code = "invalid_input"
    status = 422
    message = "请求有误"

    def __init__(self, message: str | None = None, details: dict[str, Any] | None = None):
        self.message = message or self.message
        self.details = details or {}
        super().__init__(self.message)


class InvalidInput(DomainError):
    code, status, message = "invalid_input", 422, "输入内容有误"


class Unauthorized(DomainError):
    code, status, message = "unauthorized", 401, "请先登录"


class Forbidden(DomainError):
    code, status, message = "forbidden", 403, "无权进行此操作"


class NotFound(DomainError):
    code, status, message = "not_found", 404, "未找到"


class InvalidState(DomainError):
    code, status, message = "invalid_state", 409, "当前状态不允许此操作"


class RateLimited(DomainError):
    code, status, message = "rate_limited", 429, "请求过于频繁，请稍后再试"

    def __init__(self, message: str | None = None, details: dict[str, Any] | None = None,
                 retry_after: int | None = None):
        super().__init__(message, details)
        self.retry_after = retry_after  # seconds, said in the Retry-After header


class ServiceUnavailable(DomainError):
    code, status, message = "service_unavailable", 503, "服务暂时不可用，请稍后再试"


@dataclass
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class FileInvalid(InvalidInput):
    """A file refused whole, with every problem found in it."""
    message = "文件有误，未导入任何内容"

    def __init__(self, problems: list[Problem]):
        super().__init__(details={"problems": [{"path": p.path, "message": p.message}
                                               for p in problems]})
        self.problems = problems
