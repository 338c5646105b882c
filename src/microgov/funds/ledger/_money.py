"""Money in integer fen (分): strict parsing, exact arithmetic and exact splitting."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Final

import attrs

from microgov.errors import FundsError

__all__ = ["Money"]

_AMOUNT: Final = re.compile(
    r"(?P<sign>-)?(?P<cur>[¥￥])?"
    r"(?P<int>0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)"
    r"(?:\.(?P<dec>\d{1,2}))?(?P<yuan>元)?"
)


def _bad_amount(value: object, why_en: str, why_zh: str) -> FundsError:
    return FundsError(
        f"Not an amount of money: {value!r} ({why_en}).",
        f"金额格式错误：{value!r}（{why_zh}）。",
        code="funds.bad_amount",
        value=repr(value),
    )


def _check_fen(_instance: object, _attribute: object, value: object) -> None:
    if type(value) is not int:
        raise _bad_amount(value, "fen must be an int", "分必须是整数")


@attrs.frozen(kw_only=True, order=True)
class Money:
    """An amount of money in whole fen (分, 1/100 yuan); never a float.

    Negative amounts exist (a ledger entry's delta), but parsing and the posting
    helpers take positive amounts.  ``+``, ``-`` and comparison work between
    :class:`Money` values, ``*`` with an ``int``.

    Attributes:
        fen: The amount in fen, an ``int`` (a ``bool`` or ``float`` is refused).

    Raises:
        FundsError: ``funds.bad_amount`` when ``fen`` is not an ``int``.

    Example:
        >>> m = Money.parse("1,234.56")
        >>> m.fen, str(m), m.yuan_text
        (123456, '¥1,234.56', '1,234.56元')
        >>> str(m + Money.of_yuan(1) - Money(fen=6)), str(m * 2)
        ('¥1,235.50', '¥2,469.12')
        >>> Money(fen=1.5)
        Traceback (most recent call last):
        ...
        microgov.errors.FundsError: Not an amount of money: 1.5 (fen must be an int). / ...
    """

    fen: int = attrs.field()

    @fen.validator
    def _check(self, _attribute: object, value: object) -> None:
        _check_fen(self, _attribute, value)

    @classmethod
    def of_yuan(cls, yuan: int) -> Money:
        """The amount of a whole number of yuan.

        Args:
            yuan: Whole yuan, an ``int``.

        Returns:
            ``yuan * 100`` fen.

        Raises:
            FundsError: ``funds.bad_amount`` for anything but an ``int``.

        Example:
            >>> Money.of_yuan(30_000)
            Money(fen=3000000)
        """
        if type(yuan) is not int:
            raise _bad_amount(yuan, "yuan must be an int", "元数必须是整数")
        return cls(fen=yuan * 100)

    @classmethod
    def parse(cls, text: str) -> Money:
        """Parse an amount written in yuan, strictly.

        Accepted: an optional ``-``, an optional ``¥``/``￥``, whole yuan either plain
        (``1234``) or with well-placed thousands separators (``1,234``), at most two
        decimals, an optional trailing ``元``; surrounding spaces are ignored.
        Refused: floats and other non-strings, exponents, misplaced commas, leading
        zeros, a third decimal, an empty string.

        Args:
            text: The amount, e.g. ``"1,234.56"``, ``"1234.56元"``, ``"¥1,234.5"``.

        Returns:
            The amount.

        Raises:
            FundsError: ``funds.bad_amount``, naming the value.

        Example:
            >>> [Money.parse(t).fen for t in ("1,234.56", "1234.56元", "¥1,234.5", "0.01")]
            [123456, 123456, 123450, 1]
            >>> Money.parse(1.5)
            Traceback (most recent call last):
            ...
            microgov.errors.FundsError: Not an amount of money: 1.5 (not a string). / ...
            >>> Money.parse("1,23.4")
            Traceback (most recent call last):
            ...
            microgov.errors.FundsError: Not an amount of money: '1,23.4' (expected ...
        """
        if not isinstance(text, str):
            raise _bad_amount(text, "not a string", "不是字符串")
        match = _AMOUNT.fullmatch(text.strip())
        if match is None:
            raise _bad_amount(
                text,
                "expected e.g. 1,234.56 or 1234.56元, at most two decimals",
                "应形如 1,234.56 或 1234.56元，最多两位小数",
            )
        whole = int(match["int"].replace(",", ""))
        dec = (match["dec"] or "").ljust(2, "0")
        fen = whole * 100 + int(dec)
        return cls(fen=-fen if match["sign"] else fen)

    @property
    def yuan(self) -> Fraction:
        """The amount in yuan, exactly.

        Example:
            >>> Money(fen=150).yuan
            Fraction(3, 2)
        """
        return Fraction(self.fen, 100)

    @property
    def yuan_text(self) -> str:
        """The amount written with thousands separators and 元, e.g. ``"1,234.56元"``.

        Example:
            >>> Money(fen=-5).yuan_text
            '-0.05元'
        """
        return f"{self._digits()}元"

    def _digits(self) -> str:
        whole, fen = divmod(abs(self.fen), 100)
        sign = "-" if self.fen < 0 else ""
        return f"{sign}{whole:,}.{fen:02d}"

    def __str__(self) -> str:
        digits = self._digits()
        return f"-¥{digits[1:]}" if digits.startswith("-") else f"¥{digits}"

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(fen=self.fen + other.fen)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(fen=self.fen - other.fen)

    def __neg__(self) -> Money:
        return Money(fen=-self.fen)

    def __mul__(self, factor: int) -> Money:
        if type(factor) is not int:
            return NotImplemented
        return Money(fen=self.fen * factor)

    __rmul__ = __mul__

    def split(self, shares: tuple[Fraction, ...]) -> tuple[Money, ...]:
        """Split the amount exactly into parts proportional to ``shares``.

        Each part is the exact share rounded down to a fen; the fen left over go
        one each to the parts with the largest remainders, ties to the earliest
        part (the largest-remainder method).  The parts always sum to the whole
        and each differs from its exact share by less than one fen.  O(n log n).

        Args:
            shares: Non-negative fractions (or ints) summing to exactly 1.

        Returns:
            One amount per share, in the same order.

        Raises:
            FundsError: ``funds.bad_shares`` when the shares are empty, negative,
                not exact numbers or do not sum to 1.

        Example:
            >>> Money(fen=100).split((Fraction(1, 3), Fraction(1, 3), Fraction(1, 3)))
            (Money(fen=34), Money(fen=33), Money(fen=33))
            >>> [str(m) for m in Money.of_yuan(10_000).split((Fraction(3, 10), Fraction(7, 10)))]
            ['¥3,000.00', '¥7,000.00']
        """
        if not isinstance(shares, tuple) or not shares:
            raise _bad_shares(shares)
        for share in shares:
            if type(share) not in (Fraction, int) or share < 0:
                raise _bad_shares(shares)
        if sum(shares, Fraction(0)) != 1:
            raise _bad_shares(shares)
        exact = [self.fen * Fraction(share) for share in shares]
        floors = [e.numerator // e.denominator for e in exact]
        left = self.fen - sum(floors)
        order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
        for i in order[:left]:
            floors[i] += 1
        return tuple(Money(fen=f) for f in floors)


def _bad_shares(shares: object) -> FundsError:
    return FundsError(
        f"Shares must be non-negative fractions summing to exactly 1, got {shares!r}.",
        f"份额必须是非负分数且总和恰为 1，实际为 {shares!r}。",
        code="funds.bad_shares",
        shares=repr(shares),
    )
