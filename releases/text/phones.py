"""Phone numbers, read with Google's libphonenumber (``phonenumbers``): checked when staff type
one, shown as typed, and dialled from a ``tel:`` link written as RFC 3966 asks
(``tel:+1-613-555-0199;ext=12``), which phones follow whatever spacing or “ext.” was typed."""

import functools
import re

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from releases.text.zones import newsroom_in_canada

# French writes an extension « poste 12 »; libphonenumber knows “ext.”, “x” and “#”.
_POSTE = re.compile(r"\bposte\b\.?", re.IGNORECASE)

INVALID_PHONE = _(
    "Not a phone number that can be dialled: type it with its area code, e.g. %(example)s, "
    "an extension after “ext.”, and a number abroad with + and its country code."
)


def phone_region() -> str:
    """Where a number typed without a country code is dialled: Canada for a newsroom in one of
    Canada's zones, else the country of its English (``ENGLISH_FORMATS``: en-GB is GB; every
    variant names one)."""
    if newsroom_in_canada():
        return "CA"
    return settings.ENGLISH_FORMATS.partition("-")[2].upper()


@functools.lru_cache(maxsize=1024)
def parse_phone(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    """The number ``text`` dials from ``region``, or None when it is no valid number."""
    try:
        number = phonenumbers.parse(_POSTE.sub("ext.", text or ""), region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def check_phone(text: str) -> None:
    """Refuse a number no one could dial (a field's validator)."""
    region = phone_region()
    if text and parse_phone(text, region) is None:
        example = phonenumbers.format_number(
            phonenumbers.example_number(region), phonenumbers.PhoneNumberFormat.NATIONAL
        )
        raise ValidationError(INVALID_PHONE, code="invalid_phone", params={"example": example})


def tel_uri(text: str) -> str | None:
    """``tel:+1-613-555-0199;ext=12`` (RFC 3966) for a number as typed; None for one that is
    not a valid number (a row saved before numbers were checked): shown, but not linked."""
    number = parse_phone(text, phone_region())
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966)
