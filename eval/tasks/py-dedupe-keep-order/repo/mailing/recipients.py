"""Recipient lists for the mailer."""


def normalize(address: str) -> str:
    """The form two addresses are compared in."""
    return address.strip().lower()


def unique_recipients(addresses: list[str]) -> list[str]:
    """The addresses without duplicates (same address, any case or spacing)."""
    seen = {}
    for address in addresses:
        seen.setdefault(normalize(address), address.strip())
    return list(set(seen.values()))


def parse_list(text: str) -> list[str]:
    """Addresses from a text file: one per line, blank lines and # comments skipped."""
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]
