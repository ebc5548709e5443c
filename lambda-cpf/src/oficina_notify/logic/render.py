"""Portuguese (pt-BR) texts per event type and the channel rule of the contract.

Channel: e-mail through SES when the customer has an e-mail, else SMS through SNS when there
is a phone, else nothing (skipped and logged). Rendering problems are poison: no retry helps.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from oficina_notify.models.errors import PoisonMessage
from oficina_notify.models.events import (
    AWAITING_APPROVAL,
    CANCELLED,
    COMPLETED,
    DELIVERED,
    OrderEvent,
)
from oficina_notify.models.messages import RenderedMessage

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_PUNCTUATION = re.compile(r"[\s().-]")
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")


def brl(value: Decimal) -> str:
    """``Decimal('1452.6')`` -> ``'R$ 1.452,60'`` (Brazilian format)."""
    cents = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, frac = f"{cents:,.2f}".split(".")
    return f"R$ {whole.replace(',', '.')},{frac}"


def e164(phone: str) -> str:
    number = _PHONE_PUNCTUATION.sub("", phone)
    if not _E164.match(number):
        raise PoisonMessage("unrenderable", "customer.phone is not an E.164 number")
    return number


def _vehicle(event: OrderEvent) -> str:
    v = event.vehicle
    name = " ".join(part for part in (v.make, v.model) if part)
    return f"{name}, placa {v.plate}" if name else f"placa {v.plate}"


def _signature(event: OrderEvent) -> str:
    return event.order.unit_name or "Oficina"


def _email_text(event: OrderEvent) -> tuple[str, str]:
    o, first = event.order, event.customer.name
    vehicle, unit = _vehicle(event), _signature(event)
    follow = ""
    if event.links.order:
        follow = f"\nAcompanhe a sua ordem de serviço: {event.links.order}\n"
    if event.event_type == AWAITING_APPROVAL:
        if o.budget_total is None or not event.links.approve or not event.links.reject:
            raise PoisonMessage(
                "unrenderable", "awaiting_approval needs budget_total and approve/reject links"
            )
        subject = f"Orçamento da OS nº {o.number} pronto para aprovação ({event.vehicle.plate})"
        body = (
            f"Olá, {first}!\n\n"
            f"O orçamento da ordem de serviço nº {o.number} do seu veículo ({vehicle}) está "
            f"pronto.\n\nValor total: {brl(o.budget_total)}\n\n"
            f"Para aprovar o orçamento: {event.links.approve}\n"
            f"Para recusar o orçamento: {event.links.reject}\n"
            f"{follow}\nAtenciosamente,\n{unit}\n"
        )
    elif event.event_type == COMPLETED:
        subject = f"Seu veículo está pronto: OS nº {o.number} ({event.vehicle.plate})"
        total = f"\nValor total: {brl(o.budget_total)}\n" if o.budget_total is not None else ""
        body = (
            f"Olá, {first}!\n\n"
            f"O serviço da ordem de serviço nº {o.number} foi concluído e o seu veículo "
            f"({vehicle}) já pode ser retirado.\n{total}{follow}\nAtenciosamente,\n{unit}\n"
        )
    elif event.event_type == DELIVERED:
        subject = f"Obrigado pela preferência: OS nº {o.number} ({event.vehicle.plate})"
        total = f"\nValor total: {brl(o.budget_total)}\n" if o.budget_total is not None else ""
        body = (
            f"Olá, {first}!\n\n"
            f"O seu veículo ({vehicle}) foi entregue. A ordem de serviço nº {o.number} está "
            f"encerrada.\n{total}{follow}\nObrigado pela preferência!\n{unit}\n"
        )
    elif event.event_type == CANCELLED:
        subject = f"Ordem de serviço nº {o.number} cancelada ({event.vehicle.plate})"
        body = (
            f"Olá, {first}!\n\n"
            f"A ordem de serviço nº {o.number} do seu veículo ({vehicle}) foi cancelada "
            f"(ou o orçamento foi recusado).\nEm caso de dúvida, fale com a nossa equipe.\n"
            f"{follow}\nAtenciosamente,\n{unit}\n"
        )
    else:  # pragma: no cover - parse_event only lets the four types through
        raise PoisonMessage("unknown_event_type", event.event_type)
    return subject, body


def _sms_text(event: OrderEvent) -> str:
    o, plate, unit = event.order, event.vehicle.plate, _signature(event)
    if event.event_type == AWAITING_APPROVAL:
        assert o.budget_total is not None  # checked by _email_text first
        return (
            f"{unit}: orçamento da OS {o.number} ({plate}) pronto: {brl(o.budget_total)}. "
            f"Aprovar: {event.links.approve} Recusar: {event.links.reject}"
        )
    if event.event_type == COMPLETED:
        return f"{unit}: seu veículo {plate} (OS {o.number}) está pronto para retirada."
    if event.event_type == DELIVERED:
        return f"{unit}: veículo {plate} entregue (OS {o.number}). Obrigado pela preferência!"
    return f"{unit}: a OS {o.number} do veículo {plate} foi cancelada."


def render(event: OrderEvent) -> RenderedMessage | None:
    """The message for the customer's channel, or ``None`` when there is no contact at all."""
    subject, body = _email_text(event)  # validates the event even when SMS is the channel
    email, phone = event.customer.email, event.customer.phone
    if email:
        if not _EMAIL.match(email):
            raise PoisonMessage("unrenderable", "customer.email is not an e-mail address")
        return RenderedMessage("email", email, subject, body)
    if phone:
        return RenderedMessage("sms", e164(phone), "", _sms_text(event))
    return None
