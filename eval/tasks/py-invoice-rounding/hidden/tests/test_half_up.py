import unittest
from decimal import Decimal

from billing.invoice import format_amount, invoice_total, line_total


class HalfUpTest(unittest.TestCase):
    def test_lines_round_half_up(self):
        self.assertEqual(line_total(3, "0.335"), Decimal("1.01"))
        self.assertEqual(line_total(1, "2.675"), Decimal("2.68"))
        self.assertEqual(line_total(1, "1.005"), Decimal("1.01"))
        self.assertEqual(line_total(1, "0.125"), Decimal("0.13"))

    def test_total_adds_rounded_lines(self):
        self.assertEqual(invoice_total([(3, "0.335"), (1, "2.675")]), Decimal("3.69"))
        self.assertEqual(invoice_total([]), Decimal("0.00"))

    def test_format(self):
        self.assertEqual(format_amount("2.675"), "2.68")
        self.assertEqual(format_amount(Decimal("0.5")), "0.50")
        self.assertEqual(format_amount(line_total(2, "9.99")), "19.98")


if __name__ == "__main__":
    unittest.main()
