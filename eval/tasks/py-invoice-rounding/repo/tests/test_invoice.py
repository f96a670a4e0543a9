import unittest

from billing.invoice import format_amount, invoice_total, line_total


class InvoiceTest(unittest.TestCase):
    def test_line_total(self):
        self.assertEqual(format_amount(line_total(2, "9.99")), "19.98")
        self.assertEqual(format_amount(line_total(1, 5)), "5.00")

    def test_invoice_total(self):
        total = invoice_total([(2, "9.99"), (1, "0.02")])
        self.assertEqual(format_amount(total), "20.00")

    def test_format(self):
        self.assertEqual(format_amount(3), "3.00")
        self.assertEqual(format_amount("12.5"), "12.50")


if __name__ == "__main__":
    unittest.main()
