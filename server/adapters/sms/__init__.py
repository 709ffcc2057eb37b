"""SMS adapters; ``make_sms_gateway`` picks one from settings."""
from __future__ import annotations

from server.adapters.sms.base import SmsGateway, SmsSendError

__all__ = ["SmsGateway", "SmsSendError", "make_sms_gateway"]


def make_sms_gateway(settings) -> SmsGateway:  # settings: server.settings.Settings
    if settings.sms_backend == "http":
        from server.adapters.sms.http_gateway import HttpSmsGateway

        return HttpSmsGateway(settings.sms_http_url, settings.sms_http_body_template,
                              auth_header=settings.sms_http_auth_header,
                              timeout_s=settings.sms_http_timeout_seconds)
    if settings.sms_backend == "file":
        from server.adapters.sms.handset import HandsetFileSmsGateway

        return HandsetFileSmsGateway(settings.resolved_sms_file_dir)
    from server.adapters.sms.recording import RecordingSmsGateway

    return RecordingSmsGateway()
