"""Personal data (个人信息): identity and mobile numbers checked, digested, masked, found.

Identity numbers (公民身份号码) and mobile numbers are sensitive personal information
(《个人信息保护法》 PIPL Art. 28; GB/T 35273 recommends showing them masked).  microgov
keeps them only as a keyed digest plus a masked form:

* :class:`Pseudonymizer` holds the host's secret key (``bytes``, at least
  :data:`MIN_KEY_BYTES`); :meth:`~Pseudonymizer.identity` and
  :meth:`~Pseudonymizer.mobile` check a number and return a :class:`PersonalId` /
  :class:`Mobile` holding its HMAC-SHA256 digest and its masked form
  (``310113********123X``, ``138****5678``) — never the number;
* every error about a number says which check failed and shows only its masked form,
  its length or a position;
* :func:`scan_text` finds clear numbers in any text (logs, exports), for leak tests;
  :func:`redact_text` masks them in a text that may echo user input (a message).

The identity-number check is GB 11643-1999 (:func:`parse_identity_number`,
:func:`identity_check_char`, :func:`mask_identity_number`, :func:`is_identity_number`;
also exported by :mod:`microgov.hierarchy`, as before); the mobile-number shape (11
digits, ``1`` then 3–9) is a parameter, not verified against the numbering plan
(:data:`MOBILE_NUMBERING`).

Renamed (the old name still works, with a :class:`DeprecationWarning`): ``Finding`` is
:class:`FoundNumber`.

Example:
    >>> from microgov.personal import Pseudonymizer, scan_text
    >>> p = Pseudonymizer(key=bytes(range(32)))
    >>> resident = p.identity("11010519491231002X")
    >>> print(resident)
    110105********002X
    >>> scan_text(repr(resident)) == []
    True
"""

from microgov._numbers import (
    identity_check_char,
    is_identity_number,
    mask_identity_number,
    parse_identity_number,
)
from microgov._public import deprecated_names as _deprecated_names
from microgov._public import publish as _publish
from microgov._redact import FoundNumber, redact_text, scan_text
from microgov.personal._numbers import (
    MOBILE_NUMBERING,
    MOBILE_SECOND_DIGITS,
    PersonalKind,
    is_mobile_number,
    mask_mobile_number,
    normalize_identity_number,
    parse_mobile_number,
)
from microgov.personal._pseudonym import (
    MIN_KEY_BYTES,
    Mobile,
    PersonalDataError,
    PersonalId,
    Pseudonymizer,
)

__all__ = [
    "MIN_KEY_BYTES",
    "MOBILE_NUMBERING",
    "MOBILE_SECOND_DIGITS",
    "FoundNumber",
    "Mobile",
    "PersonalDataError",
    "PersonalId",
    "PersonalKind",
    "Pseudonymizer",
    "identity_check_char",
    "is_identity_number",
    "is_mobile_number",
    "mask_identity_number",
    "mask_mobile_number",
    "normalize_identity_number",
    "parse_identity_number",
    "parse_mobile_number",
    "redact_text",
    "scan_text",
]

_publish(__name__, globals(), __all__, adopt=(PersonalDataError, FoundNumber, PersonalKind))
__getattr__ = _deprecated_names(__name__, {"Finding": ("FoundNumber", FoundNumber)})
