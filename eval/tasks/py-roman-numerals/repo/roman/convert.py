"""Converting integers to Roman numerals."""

_NUMERALS = [
    (1000, "M"),
    (500, "D"),
    (100, "C"),
    (50, "L"),
    (10, "X"),
    (5, "V"),
    (1, "I"),
]


def to_roman(number: int) -> str:
    """Return the Roman numeral for number (1 to 3999)."""
    if not isinstance(number, int) or isinstance(number, bool):
        raise TypeError("number must be an int")
    if not 1 <= number <= 3999:
        raise ValueError("number must be between 1 and 3999")
    parts = []
    for value, letters in _NUMERALS:
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)
