"""Word wrapping for the changelog."""


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most width characters, breaking between words."""
    if width < 1:
        raise ValueError("width must be at least 1")
    lines: list[str] = []
    line = ""
    for word in text.split():
        if len(word) > width:
            continue
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines
