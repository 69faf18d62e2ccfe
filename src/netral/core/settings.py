"""All configuration in one place: environment variables with the NETRAL_ prefix, or a .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NETRAL_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="Everything the app writes lives here.")
    database_url: str = Field(default="", description="SQLAlchemy URL; empty = SQLite in data_dir.")
    # PostgreSQL connection pool of each process: connections kept open, and how many more a
    # burst may open (closed again when returned); a process holds at most their sum. SQLite
    # ignores both.
    db_pool_size: int = Field(default=5, ge=1, le=200)
    db_max_overflow: int = Field(default=10, ge=0, le=200)
    secret_key_file: Path | None = Field(default=None, description="Key for sessions and crypto.")
    default_language: str = "id"
    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    cookie_secure: bool = False
    # reverse proxies whose X-Forwarded-For / -Proto are believed (addresses or networks, comma
    # separated); empty: none, so no client can choose the address its rate limits count against
    trusted_proxies: str = ""
    # every staff role (roles.yaml `staff`) signs in with a TOTP code after the password
    staff_two_factor: bool = False
    # days after a case closes (or a report closes without one) before the reporter's identity
    # and the evidence originals are deleted (cases/retention.py); 0: kept until this is set
    retention_days: int = Field(default=0, ge=0)
    # failed sign-ins before a lockout: from one client for one account; for one account from
    # every client (guessing spread over many addresses); from one client over every account
    login_max_failures: int = Field(default=5, ge=1)
    login_max_failures_account: int = Field(default=25, ge=1)
    login_max_failures_client: int = Field(default=25, ge=1)
    login_lockout_minutes: int = Field(default=15, ge=1)
    import_max_mb: int = Field(default=100, ge=1)
    testdata: Path = Field(default=Path("../shared/data"))
    # per client (keyed by a MAC of its address, kept in memory only)
    report_submissions_per_minute: int = Field(default=10, ge=1)
    receipt_lookups_per_minute: int = Field(default=30, ge=1)
    max_request_mb: int = Field(default=105, ge=1)
    # background jobs (huey): "inprocess" runs a consumer thread inside the web app (the embedded
    # default), "external" leaves it to `netral worker`, "off" only queues
    jobs: str = Field(default="inprocess", pattern="^(inprocess|external|off)$")
    redis_url: str = Field(default="", description="redis://host:6379/0: huey on Redis")
    hoax_file: Path | None = Field(default=None, description="CSV of debunked claims")
    # reminders by e-mail (in-app notices always); empty host: in-app only
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = "netral@localhost"
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password: str = ""
    base_url: str = "http://127.0.0.1:8000"
    # pledges: the one-time code an ASN confirms a signature with (sent to their registry e-mail)
    pledge_otp_minutes: int = Field(default=10, ge=1, le=60)
    pledge_otp_attempts: int = Field(default=5, ge=1, le=20)
    # this office's kop surat and letter numbering (YAML); default: the packaged example
    letterhead_file: Path | None = None
    # this office's own letter templates (<kind>.html, base.html, letter.css); a file it does not
    # hold comes from the packaged ones
    letter_templates_dir: Path | None = None
    # Bawaslu's case register number (nomor registrasi). Fields: seq, origin (LP laporan | TM
    # temuan), month, month_roman, year. The default is an EXAMPLE in the shape of Bawaslu's
    # register numbers ("001/Reg/LP/PW/13.03/X/2024"); put your office's own codes in.
    case_register_pattern: str = "{seq:03d}/Reg/{origin}/PW/13.03/{month_roman}/{year}"

    @field_validator("default_language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in ("id", "en"):
            raise ValueError("NETRAL_DEFAULT_LANGUAGE must be 'id' or 'en'")
        return value

    @field_validator("database_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError(
                "NETRAL_DATABASE_URL must start with sqlite:// or postgresql+psycopg://"
            )
        if value.startswith(("postgresql://", "postgres://")):
            value = "postgresql+psycopg://" + value.split("://", 1)[1]
        return value

    @model_validator(mode="after")
    def _defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'netral.db').resolve()}"
        if self.secret_key_file is None:
            self.secret_key_file = self.data_dir / "keys" / "secret.key"
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
