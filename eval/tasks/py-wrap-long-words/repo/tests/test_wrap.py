import unittest

from textutil import wrap


class WrapTest(unittest.TestCase):
    def test_breaks_between_words(self):
        self.assertEqual(wrap("the quick brown fox jumps over the lazy dog", 10), ["the quick", "brown fox", "jumps over", "the lazy", "dog"])

    def test_short_text(self):
        self.assertEqual(wrap("hello", 10), ["hello"])
        self.assertEqual(wrap("", 10), [])

    def test_width_must_be_positive(self):
        with self.assertRaises(ValueError):
            wrap("x", 0)


if __name__ == "__main__":
    unittest.main()
