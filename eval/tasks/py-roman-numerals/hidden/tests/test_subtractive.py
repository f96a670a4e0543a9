import unittest

from roman import to_roman


class SubtractiveNotationTest(unittest.TestCase):
    def test_fours_and_nines(self):
        self.assertEqual(to_roman(4), "IV")
        self.assertEqual(to_roman(9), "IX")
        self.assertEqual(to_roman(40), "XL")
        self.assertEqual(to_roman(90), "XC")
        self.assertEqual(to_roman(400), "CD")
        self.assertEqual(to_roman(900), "CM")

    def test_years(self):
        self.assertEqual(to_roman(1994), "MCMXCIV")
        self.assertEqual(to_roman(3999), "MMMCMXCIX")
        self.assertEqual(to_roman(14), "XIV")

    def test_still_validates(self):
        with self.assertRaises(ValueError):
            to_roman(-1)


if __name__ == "__main__":
    unittest.main()
