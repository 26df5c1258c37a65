"""One error shape for every failure: ``{"ok": false, "error": "...", "error_zh": "...", "status": N}``.

``error`` is English (for programs, logs and the CLI); ``error_zh`` is the same message in Chinese,
which the web page shows. A domain error carries its Chinese as ``e.zh`` (extractor/errors.py,
``BadParameter``, ``StoreError``); an ``HTTPException`` whose detail is a ``Message`` carries it as
``detail.zh``; anything else gets the Chinese of its status below.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from extractor.errors import CorruptPDF, EmptyFile, EncryptedPDF, ExtractionError, NotAPDF
from service.labels import parameter_zh
from service.queries import BadParameter
from service.store import NotFound, StoreError
from service.worker import TooManyPages

log = logging.getLogger("bulletin.api")

# The Chinese of an HTTP error that brings none of its own (said with the English after it).
STATUS_ZH = {
    400: "请求有误", 401: "需要访问令牌", 403: "访问令牌不对", 404: "找不到", 405: "不允许这种请求方式",
    409: "与已存的数据冲突", 413: "文件太大", 415: "文件类型不支持", 422: "文件无法处理", 500: "服务器内部错误",
}


def error_response(status: int, message: str, headers: dict | None = None, *,
                   message_zh: str | None = None) -> JSONResponse:
    """The one error body; ``message_zh`` defaults to the message's own ``zh`` (a Message) or the status's."""
    zh = message_zh or getattr(message, "zh", None) or f"{STATUS_ZH.get(status, '请求失败')}（{message}）"
    return JSONResponse({"ok": False, "error": str(message), "error_zh": zh, "status": status},
                        status_code=status, headers=headers)


def extraction_status(e: ExtractionError) -> int:
    if isinstance(e, NotAPDF):
        return 415
    if isinstance(e, TooManyPages):
        return 413
    if isinstance(e, (EmptyFile, CorruptPDF, EncryptedPDF)):
        return 422
    return 422


# pydantic's error types, in Chinese (the few a query parameter or an upload can meet)
VALIDATION_ZH = {
    "missing": "必须提供", "int_parsing": "应为整数", "float_parsing": "应为数字", "bool_parsing": "应为 true 或 false",
    "greater_than_equal": "太小", "less_than_equal": "太大", "greater_than": "太小", "less_than": "太大",
    "string_too_long": "太长", "string_too_short": "太短", "literal_error": "不是可选的值", "enum": "不是可选的值",
}


def _validation_messages(exc: RequestValidationError) -> tuple[str, str]:
    parts, parts_zh = [], []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body", "header")]
        name = ".".join(loc) or "request"
        msg = err.get("msg", "invalid")
        if err.get("type") == "missing":
            msg = "is required"
        parts.append(f"{name}: {msg}")
        label = "上传的文件" if name == "file" else parameter_zh(name) if name != "request" else "请求"
        parts_zh.append(f"{label}：{VALIDATION_ZH.get(err.get('type'), '取值无效')}")
    return "; ".join(parts) or "invalid request", "；".join(parts_zh) or "请求无效"


def install(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        zh = getattr(exc.detail, "zh", None)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such endpoint: {request.method} {request.url.path} (see /docs)"
            zh = f"没有这个地址：{request.method} {request.url.path}（接口说明见 /docs）"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path} (see /docs)"
            zh = f"{request.url.path} 不接受 {request.method} 请求（接口说明见 /docs）"
        return error_response(exc.status_code, message, getattr(exc, "headers", None), message_zh=zh)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        message, zh = _validation_messages(exc)
        return error_response(400, message, message_zh=zh)

    @app.exception_handler(BadParameter)
    async def bad_parameter(request: Request, exc: BadParameter):
        return error_response(400, str(exc), message_zh=exc.zh)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return error_response(404, str(exc), message_zh=_store_zh(exc, 404))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError):
        return error_response(409, str(exc), message_zh=_store_zh(exc, 409))

    @app.exception_handler(ExtractionError)
    async def extraction_error(request: Request, exc: ExtractionError):
        return error_response(extraction_status(exc), str(exc), message_zh=exc.zh)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, f"internal error ({type(exc).__name__}); the server log has the details",
                              message_zh=f"服务器内部错误（{type(exc).__name__}）；详细信息在服务器日志中")


def _store_zh(exc: StoreError, status: int) -> str:
    zh = getattr(exc, "zh", None)
    return zh if zh and zh != str(exc) else f"{STATUS_ZH[status]}（{exc}）"
