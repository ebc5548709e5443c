"""What leaves the function: one rendered message for one channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Channel = Literal["email", "sms"]


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    channel: Channel
    to: str  # e-mail address or E.164 phone number; never logged in clear
    subject: str  # e-mail only ("" for SMS)
    text: str
