"""Invoice lines and totals."""


def line_total(quantity, unit_price) -> float:
    """The total of a line, rounded to cents."""
    return round(quantity * float(unit_price), 2)


def invoice_total(lines) -> float:
    """The sum of the lines' rounded totals; lines are (quantity, unit price) pairs."""
    return round(sum(line_total(quantity, price) for quantity, price in lines), 2)


def format_amount(amount) -> str:
    """An amount as printed on the invoice: two decimals."""
    return f"{round(float(amount), 2):.2f}"
