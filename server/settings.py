"""One typed settings object for the server, parsed once.

Values come from, in order of precedence: keyword arguments (tests), environment
variables prefixed ``KUAICHU_``, the TOML file named by ``KUAICHU_CONFIG_FILE``,
then the defaults below. Every field carries a one-line description; the README
documents each one and a test keeps the two in step.
"""
from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from server.resource_files import resource


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KUAICHU_", extra="forbid")

    # --- where things live -------------------------------------------------
    data_dir: Path = Field(Path("var"), description="Directory for the SQLite database, evidence files and generated certificates.")
    database_url: str = Field("", description="SQLAlchemy URL; empty means SQLite at DATA_DIR/kuaichu.db. Use postgresql+psycopg://user@host/db for PostgreSQL.")
    public_base_url: str = Field("http://127.0.0.1:8000", description="Base URL that phones reach; used to build the links sent by SMS.")

    # --- serving -----------------------------------------------------------
    host: str = Field("127.0.0.1", description="Address `kuaichu-server serve` binds to.")
    port: int = Field(8000, description="Port `kuaichu-server serve` listens on.")
    tls_cert_file: Path | None = Field(None, description="PEM certificate for HTTPS; phones only get camera access over HTTPS (or localhost).")
    tls_key_file: Path | None = Field(None, description="PEM private key matching TLS_CERT_FILE.")
    log_level: str = Field("info", description="Log level for the server (debug, info, warning, error).")
    api_docs: bool = Field(False, description="Serve the API description (/openapi.json) and its Swagger UI (/docs, with every asset served by the server, no CDN). Off by default: it maps the whole API for anyone who can reach the server.")

    # --- security ----------------------------------------------------------
    session_ttl_minutes: int = Field(480, ge=1, description="How long a seat's session token stays valid after login.")
    login_max_failures: int = Field(5, ge=1, description="Failed logins allowed per user name and client address before a lock-out.")
    login_lockout_seconds: int = Field(300, ge=1, description="How long a lock-out after too many failed logins lasts.")
    invitation_ttl_hours: int = Field(72, ge=1, description="How long a party link (invitation) stays valid.")
    party_rate_limit_per_minute: int = Field(120, ge=1, description="Requests per minute allowed for one party link token.")
    login_user_max_failures: int = Field(20, ge=1, description="Failed logins allowed per user name from all addresses together before that name is locked everywhere for LOGIN_LOCKOUT_SECONDS; keep it well above LOGIN_MAX_FAILURES.")
    login_address_max_failures: int = Field(20, ge=1, description="Failed logins allowed from one client address across all user names (password spraying) per LOGIN_ADDRESS_WINDOW_SECONDS.")
    login_address_window_seconds: int = Field(900, ge=1, description="Window of LOGIN_ADDRESS_MAX_FAILURES; the address is refused until the window ends.")
    phone_codes_per_address_per_hour: int = Field(10, ge=1, description="SMS codes one client address may have sent per hour, to any numbers (SMS pumping).")
    phone_codes_per_hour: int = Field(500, ge=1, description="SMS codes the whole service sends per hour, from all addresses together.")
    trusted_proxies: list[str] = Field(default_factory=list, description='Addresses or CIDR networks of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed, as JSON, e.g. ["10.0.0.5", "10.1.0.0/16"]; empty trusts none.')

    # --- uploads and signalling --------------------------------------------
    max_upload_bytes: int = Field(20 * 1024 * 1024, ge=1024, description="Largest evidence upload accepted (bytes).")
    max_recording_bytes: int = Field(200 * 1024 * 1024, ge=1024, description="Largest call-recording segment accepted (bytes).")
    max_image_pixels: int = Field(60_000_000, ge=1_000_000, description="Largest image a seat may upload, in pixels (width × height), checked from the file header before decoding.")
    max_party_image_pixels: int = Field(24_000_000, ge=1_000_000, description="Largest photo a party (phone) may upload, in pixels; party photos are decoded and re-encoded, so this bounds their memory.")
    image_decode_concurrency: int | None = Field(None, ge=1, description="Uploads decoded (images, the first frame of recordings) at the same time; more wait their turn. Unset means the number of CPU cores.")
    ws_max_message_bytes: int = Field(64 * 1024, ge=1024, description="Largest WebSocket message accepted from a phone or seat (bytes).")
    ice_servers: list[dict[str, Any]] = Field(default_factory=list, description='ICE servers handed to phone and seat, as JSON, e.g. [{"urls": "stun:stun.example:3478"}]; empty on loopback.')
    ice_transport_policy: Literal["all", "relay"] = Field("all", description="ICE transport policy of phone and seat: all (direct, STUN and TURN candidates) or relay (only TURN-relayed candidates: every packet goes through the TURN server of ICE_SERVERS, which must have one).")
    ice_trickle: bool = Field(True, description="The phone page sends its ICE candidates as it gathers them (trickle) instead of waiting for gathering to end before it offers; the seat accepts both.")
    signalling_broker: Literal["memory", "postgres", "redis"] = Field("memory", description="Fan-out of signalling between server instances: memory (one instance), postgres (LISTEN/NOTIFY on the shared database) or redis (pub/sub on REDIS_URL; needs the redis extra).")
    redis_url: str = Field("redis://127.0.0.1:6379/0", description="Redis for SIGNALLING_BROKER=redis, e.g. redis://:password@redis.internal:6379/0.")
    redis_channel: str = Field("kuaichu_signalling", min_length=1, max_length=200, description="Pub/sub channel of SIGNALLING_BROKER=redis; deployments sharing one Redis need one each (pub/sub ignores the database number).")
    interrupted_timeout_minutes: int = Field(30, ge=1, description="An interrupted call whose party never comes back is abandoned after this long, with an SMS to the parties.")
    sent_back_timeout_hours: int = Field(72, ge=1, description="A case the officer sent back for more evidence is abandoned, with an SMS, if no party comes back within this long (as long as the link sent by default: the party must collect the evidence).")

    # --- evidence storage --------------------------------------------------
    storage_backend: Literal["local", "s3"] = Field("local", description="Where evidence bytes are kept: local (files under DATA_DIR/evidence) or s3 (an S3-compatible object store, S3_*; instances behind one proxy can then share it).")
    s3_endpoint_url: str = Field("", description="Endpoint of the S3-compatible store, e.g. https://minio.internal:9000; empty means AWS S3 itself.")
    s3_bucket: str = Field("", description="Bucket that holds the evidence; must exist. Required when STORAGE_BACKEND is s3.")
    s3_region: str = Field("us-east-1", description="Region of the bucket (signs the requests and the presigned links).")
    s3_access_key_id: str = Field("", description="Access key of the S3 store; empty uses boto3's usual chain (AWS_* environment, instance role).")
    s3_secret_access_key: str = Field("", description="Secret key matching S3_ACCESS_KEY_ID.")
    s3_prefix: str = Field("evidence/", description="Prefix of every evidence key; a blob is stored at <prefix><first two hex digits>/<sha256>.")

    # --- SMS ---------------------------------------------------------------
    sms_backend: Literal["record", "http", "file"] = Field("record", description="record keeps messages in the database for the admin page only (nothing is sent); http also posts them to SMS_HTTP_URL; file appends them to SMS_FILE_DIR/<phone>.jsonl, a stand-in handset for demos.")
    sms_file_dir: Path | None = Field(None, description="Directory of the file SMS backend's handset files; empty means DATA_DIR/sms-handsets.")
    sms_http_url: str = Field("", description="HTTP SMS gateway endpoint (POST).")
    sms_http_auth_header: str = Field("", description='Authorization header value for the SMS gateway, e.g. "Bearer xyz".')
    sms_http_body_template: str = Field('{"to": "$phone", "text": "$text"}', description="JSON body template for the SMS gateway; $phone, $text and $id (the message id) are substituted, JSON-escaped.")
    sms_http_timeout_seconds: float = Field(10.0, gt=0, le=30, description="Timeout for one request to the SMS gateway (at most 30, well inside the 60 s delivery claim).")
    sms_max_attempts: int = Field(5, ge=1, description="Attempts before an SMS is marked failed.")
    sms_retry_base_seconds: float = Field(2.0, gt=0, description="First retry delay for SMS; doubles on each attempt.")
    sms_retry_max_seconds: float = Field(300.0, gt=0, description="Longest delay between two SMS attempts.")
    sms_report_token: str = Field("", description="Shared token the SMS gateway sends (Authorization: Bearer ...) with its delivery reports to POST /api/sms/delivery-reports; empty turns that endpoint off (404).")

    # --- registry, insurers, dispatch --------------------------------------
    registry_backend: Literal["demo", "http"] = Field("demo", description="demo reads REGISTRY_DEMO_FILE; http queries REGISTRY_HTTP_URL.")
    registry_demo_file: Path = Field(resource("demo_registry.json"), description="Fictional drivers, vehicles and policies for the demo registry.")
    registry_http_url: str = Field("", description="Base URL of the HTTP registry service.")
    registry_http_auth_header: str = Field("", description='Authorization header value sent to the HTTP registry, e.g. "Bearer xyz".')
    registry_timeout_seconds: float = Field(5.0, gt=0, description="Timeout for one registry request.")
    dispatch_backend: Literal["outbox", "webhook"] = Field("outbox", description="outbox records field dispatches for supervisors; webhook also posts them to DISPATCH_WEBHOOK_URL.")
    dispatch_webhook_url: str = Field("", description="Webhook that receives field-officer dispatch requests.")
    dispatch_webhook_auth_header: str = Field("", description="Authorization header value sent to the dispatch webhook.")
    dispatch_max_attempts: int = Field(8, ge=1, description="Attempts before a dispatch stops retrying by itself and is marked failed; supervisors can still retry it.")
    dispatch_retry_base_seconds: float = Field(5.0, gt=0, description="First retry delay for a dispatch; doubles on each attempt.")
    dispatch_retry_max_seconds: float = Field(300.0, gt=0, description="Longest delay between two dispatch attempts.")

    insurer_webhooks: dict[str, str] = Field(default_factory=dict, description='One-click claim webhooks by insurer code, as JSON, e.g. {"PICC": "https://claims.picc.example/kuaichu"}. An insurer left out gets no post: its reports are kept for the claims desk (status stored).')
    insurer_auth_headers: dict[str, str] = Field(default_factory=dict, description='Authorization header values for the insurer webhooks, by insurer code, as JSON, e.g. {"PICC": "Bearer xyz"}.')
    insurer_timeout_seconds: float = Field(10.0, gt=0, le=30, description="Timeout for one post to an insurer webhook (at most 30, well inside the 60 s delivery lease).")
    url_signing_key: str = Field("", description="Key of the signed, expiring links to the document and photos handed to insurers. Empty: a random key kept in DATA_DIR/url-signing.key (instances behind one proxy must then share DATA_DIR, or all set this).")
    signed_url_ttl_hours: int = Field(168, ge=1, le=24 * 90, description="How long a signed link to the document or a photo stays valid (hours).")

    # --- the city's rules --------------------------------------------------
    city_rules_file: Path = Field(resource("city_rules.toml"), description="Per-city eligibility rules: service hours, minor injury allowed, vehicle limits.")
    service_area_file: Path = Field(resource("service_area.geojson"), description="GeoJSON polygon(s) where video processing is offered.")
    timezone: str = Field("Asia/Shanghai", description="Local time zone for service hours and documents.")

    # --- the liability document --------------------------------------------
    issuing_unit: str = Field("示范市公安局交通警察支队", min_length=2, max_length=40, description="The police unit printed on liability documents (道路交通事故认定书), in their heading and the ring of the drawn seal, and shown on the public verification page.")
    document_code: str = Field("KC", pattern=r"^[A-Z]{1,8}$", description="Capital letters that start every document number, e.g. KC gives KC2026-000001 (the local year and a gapless sequence per year).")
    review_window_days: int = Field(3, ge=1, le=30, description="Working days (weekends and public holidays of the work calendar excluded) a party has after the document's delivery to ask for a review (复核, 146号 第七十一条, 第一百一十二条).")

    # --- demo --------------------------------------------------------------
    demo: bool = Field(False, description="Seed demo users and registry data at start-up.")

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                ipaddress.ip_network(entry.strip(), strict=False)
            except ValueError:
                raise ValueError(f"trusted_proxies: {entry!r} is not an IP address or CIDR network") from None
        return [entry.strip() for entry in value]

    @model_validator(mode="after")
    def _relay_needs_turn(self) -> Settings:
        if self.ice_transport_policy == "relay":
            urls = [u for s in self.ice_servers for u in (
                [s.get("urls")] if isinstance(s.get("urls"), str) else s.get("urls") or [])]
            if not any(isinstance(u, str) and u.split(":", 1)[0] in ("turn", "turns") for u in urls):
                raise ValueError("ice_transport_policy relay needs a turn: or turns: server in ice_servers; "
                                 "without one no call can connect")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get("KUAICHU_CONFIG_FILE")
        if config_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)))
        return tuple(sources)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'kuaichu.db').resolve()}"

    @property
    def resolved_sms_file_dir(self) -> Path:
        return self.sms_file_dir or self.data_dir / "sms-handsets"

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"


#: Settings read from the environment (not from keyword arguments). Documented in the README.
CONFIG_FILE_ENV = "KUAICHU_CONFIG_FILE"
