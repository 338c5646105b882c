"""Keyed digests (HMAC-SHA256) and masked forms: personal numbers kept without the number."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Collection
from typing import Final

import attrs

from microgov._numbers import mask_identity_number
from microgov.errors import MicrogovError, PersonalDataError
from microgov.personal._numbers import (
    MOBILE_SECOND_DIGITS,
    PersonalKind,
    normalize_identity_number,
    parse_mobile_number,
)

__all__ = ["MIN_KEY_BYTES", "Mobile", "PersonalDataError", "PersonalId", "Pseudonymizer"]

MIN_KEY_BYTES: Final = 32
"""The shortest HMAC key accepted, in bytes (256 bits, the SHA-256 output size)."""

_MIN_DISTINCT_BYTES: Final = 8
_DIGEST_RE: Final = re.compile(r"[0-9a-f]{64}")
_KEY_ID_RE: Final = re.compile(r"[A-Za-z0-9._-]{1,64}")
_MASKED_ID_RE: Final = re.compile(r"[0-9]{6}\*{8}[0-9]{3}[0-9X]")
_MASKED_MOBILE_RE: Final = re.compile(r"1[0-9]{2}\*{4}[0-9]{4}")
_DOMAIN: Final = b"microgov.personal/1/"


def _check_key(_: object, __: attrs.Attribute[bytes], key: object) -> None:
    if not isinstance(key, bytes):
        hint_en = " (encode a text secret, e.g. bytes.fromhex(...))" if isinstance(key, str) else ""
        raise PersonalDataError(
            f"The pseudonymization key must be bytes, not {type(key).__name__}{hint_en}.",
            f"假名化密钥必须为 bytes，不能是 {type(key).__name__}。",
            code="personal.key",
            reason="type",
        )
    if len(key) < MIN_KEY_BYTES:
        raise PersonalDataError(
            f"The pseudonymization key has {len(key)} bytes; at least {MIN_KEY_BYTES} are "
            "required (use secrets.token_bytes(32)).",
            f"假名化密钥为 {len(key)} 字节，至少需要 {MIN_KEY_BYTES} 字节"
            "（可用 secrets.token_bytes(32) 生成）。",
            code="personal.key",
            reason="length",
            length=len(key),
        )
    if len(set(key)) < _MIN_DISTINCT_BYTES:
        raise PersonalDataError(
            f"The pseudonymization key has fewer than {_MIN_DISTINCT_BYTES} distinct byte "
            "values: it is not a random key (use secrets.token_bytes(32)).",
            f"假名化密钥中不同字节值少于 {_MIN_DISTINCT_BYTES} 个，不是随机密钥"
            "（可用 secrets.token_bytes(32) 生成）。",
            code="personal.key",
            reason="uniform",
        )


def _check_key_id(_: object, __: attrs.Attribute[str], key_id: object) -> None:
    if not isinstance(key_id, str) or not _KEY_ID_RE.fullmatch(key_id):
        raise PersonalDataError(
            "A key id must be 1 to 64 characters among A–Z, a–z, 0–9, '.', '_' and '-'.",
            "密钥编号须为 1 至 64 个字符，仅限字母、数字、'.'、'_' 和 '-'。",
            code="personal.key_id",
        )


def _shape(
    pattern: re.Pattern[str], what: str
) -> Callable[[object, attrs.Attribute[str], object], None]:
    def check(_: object, attribute: attrs.Attribute[str], value: object) -> None:
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise PersonalDataError(
                f"The {attribute.name} of a stored {what} does not have its shape "
                f"({pattern.pattern}); it is not shown here.",
                f"已存储的{what}的 {attribute.name} 格式不符（{pattern.pattern}），此处不予显示。",
                code="personal.value",
                field=attribute.name,
            )

    return check


@attrs.frozen(kw_only=True)
class PersonalId:
    """An identity number kept as a keyed digest and a masked form, never in clear.

    Build one with :meth:`Pseudonymizer.identity`; rebuild a stored one with this
    constructor (both fields are checked for shape, so a clear number cannot be stored
    in them by mistake).  Two values for the same number under the same key are equal.

    Attributes:
        digest: HMAC-SHA256 of the number under the host's key, 64 lowercase hex digits.
        masked: The display form, first 6 + ``********`` + last 4 (PIPL Art. 28; GB/T 35273).
        key_id: The id of the key the digest was made with (for key rotation).

    Example:
        >>> p = PersonalId(digest="0" * 64, masked="110105********002X", key_id="k1")
        >>> str(p)
        '110105********002X'
        >>> PersonalId(digest="0" * 64, masked="11010519491231002X", key_id="k1")
        Traceback (most recent call last):
        ...
        microgov.personal.PersonalDataError: The masked of a stored identity number ...
    """

    digest: str = attrs.field(validator=_shape(_DIGEST_RE, "identity number"))
    masked: str = attrs.field(validator=_shape(_MASKED_ID_RE, "identity number"))
    key_id: str = attrs.field(validator=_check_key_id)

    def __str__(self) -> str:
        return self.masked


@attrs.frozen(kw_only=True)
class Mobile:
    """A mobile number kept as a keyed digest and a masked form, never in clear.

    Attributes:
        digest: HMAC-SHA256 of the 11 digits under the host's key, 64 lowercase hex digits.
        masked: The display form, first 3 + ``****`` + last 4.
        key_id: The id of the key the digest was made with.

    Example:
        >>> m = Mobile(digest="0" * 64, masked="138****5678", key_id="k1")
        >>> str(m)
        '138****5678'
    """

    digest: str = attrs.field(validator=_shape(_DIGEST_RE, "mobile number"))
    masked: str = attrs.field(validator=_shape(_MASKED_MOBILE_RE, "mobile number"))
    key_id: str = attrs.field(validator=_check_key_id)

    def __str__(self) -> str:
        return self.masked


@attrs.frozen(kw_only=True, eq=False)
class Pseudonymizer:
    """Holds the host's secret key and turns personal numbers into digests and masks.

    The clear number is checked, digested and dropped: what comes out
    (:class:`PersonalId`, :class:`Mobile`) holds only the keyed digest and the masked
    form.  The digest is HMAC-SHA256 (RFC 2104, FIPS 180-4) of a domain-separated
    message (``microgov.personal/1/<kind>/<number>``), so the same digits digest
    differently as an identity number and as a mobile number, and nobody without the
    key can test guesses against a digest (an unkeyed hash of an 18-digit number with a
    known structure is easy to reverse by brute force).

    The key is supplied by the host (from its secret store), as ``bytes`` of at least
    :data:`MIN_KEY_BYTES`; it never appears in ``repr``, messages or outputs.  Keep it:
    digests made under another key do not match.  Equality is identity (two
    pseudonymizers are never compared by key).

    Attributes:
        key: The secret key (not shown in ``repr``).
        key_id: A label for the key, stored with each value (default ``"k1"``).

    Raises:
        PersonalDataError: ``personal.key`` for a key that is not ``bytes``, shorter than
            :data:`MIN_KEY_BYTES`, or with fewer than 8 distinct byte values;
            ``personal.key_id`` for a malformed ``key_id``.

    Example:
        >>> p = Pseudonymizer(key=bytes(range(32)), key_id="2026-01")
        >>> p
        Pseudonymizer(key_id='2026-01')
        >>> resident = p.identity("11010519491231002X")
        >>> resident.masked, len(resident.digest)
        ('110105********002X', 64)
        >>> p.matches(resident, "11010519491231002x")
        True
        >>> Pseudonymizer(key=b"too short")
        Traceback (most recent call last):
        ...
        microgov.personal.PersonalDataError: The pseudonymization key has 9 bytes; ...
    """

    key: bytes = attrs.field(repr=False, validator=_check_key)
    key_id: str = attrs.field(default="k1", validator=_check_key_id)

    def _digest(self, kind: PersonalKind, normalized: str) -> str:
        message = _DOMAIN + kind.value.encode("ascii") + b"/" + normalized.encode("ascii")
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()

    def identity(self, value: object) -> PersonalId:
        """Check an identity number and keep it as a digest and a masked form.

        Args:
            value: The number as typed (see
                :func:`~microgov.personal.normalize_identity_number`).

        Returns:
            The :class:`PersonalId`.

        Raises:
            InvalidCodeError: ``code.identity``, saying which check failed and showing
                only the masked form.

        Example:
            >>> p = Pseudonymizer(key=bytes(range(32)))
            >>> p.identity("11010519491231002X") == p.identity("110105 19491231 002x")
            True
        """
        number = normalize_identity_number(value)
        return PersonalId(
            digest=self._digest(PersonalKind.IDENTITY_NUMBER, number),
            masked=mask_identity_number(number),
            key_id=self.key_id,
        )

    def mobile(
        self, value: object, *, second_digits: Collection[str] = MOBILE_SECOND_DIGITS
    ) -> Mobile:
        """Check a mobile number and keep it as a digest and a masked form.

        Args:
            value: The number as typed (see :func:`~microgov.personal.parse_mobile_number`).
            second_digits: The accepted second digits (a parameter).

        Returns:
            The :class:`Mobile`.

        Raises:
            InvalidCodeError: ``code.mobile``, saying which check failed and never
                showing the number in clear.

        Example:
            >>> p = Pseudonymizer(key=bytes(range(32)))
            >>> m = p.mobile("+86 138 1234 5678")
            >>> m.masked, m == p.mobile("13812345678")
            ('138****5678', True)
        """
        number = parse_mobile_number(value, second_digits=second_digits)
        return Mobile(
            digest=self._digest(PersonalKind.MOBILE, number),
            masked=f"{number[:3]}****{number[-4:]}",
            key_id=self.key_id,
        )

    def matches(self, value: PersonalId | Mobile, clear: object) -> bool:
        """Whether ``clear`` is the number ``value`` was made from (constant-time compare).

        A ``clear`` that is not a valid number of the right kind simply does not match.

        Args:
            value: A stored :class:`PersonalId` or :class:`Mobile`.
            clear: The number as typed.

        Returns:
            True if it digests to ``value.digest`` under this key.

        Raises:
            PersonalDataError: ``personal.key_mismatch`` if ``value`` was made under
                another key id (comparing would always say no).

        Example:
            >>> p = Pseudonymizer(key=bytes(range(32)))
            >>> m = p.mobile("13812345678")
            >>> p.matches(m, "138-1234-5678"), p.matches(m, "13812345679")
            (True, False)
        """
        if value.key_id != self.key_id:
            raise PersonalDataError(
                f"The value was digested under key {value.key_id!r}, not {self.key_id!r}.",
                f"该值由密钥 {value.key_id!r} 生成，而非 {self.key_id!r}。",
                code="personal.key_mismatch",
                key_id=value.key_id,
            )
        fresh: PersonalId | Mobile
        try:
            fresh = self.identity(clear) if isinstance(value, PersonalId) else self.mobile(clear)
        except MicrogovError:
            return False
        return hmac.compare_digest(fresh.digest, value.digest)
