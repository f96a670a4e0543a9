import unittest

from textutil import wrap


class LongWordTest(unittest.TestCase):
    def test_long_word_gets_its_own_line(self):
        self.assertEqual(wrap("see https://example.com/a/very/long/path for details", 20), ["see", "https://example.com/a/very/long/path", "for details"])

    def test_long_word_first_and_last(self):
        self.assertEqual(wrap("abcdefghijkl xy", 5), ["abcdefghijkl", "xy"])
        self.assertEqual(wrap("xy abcdefghijkl", 5), ["xy", "abcdefghijkl"])
        self.assertEqual(wrap("abcdefghijkl", 5), ["abcdefghijkl"])

    def test_nothing_is_lost(self):
        text = "a bb ccc dddddddddd ee f gggggggggggggggg h"
        self.assertEqual(" ".join(wrap(text, 4)).split(), text.split())


if __name__ == "__main__":
    unittest.main()
