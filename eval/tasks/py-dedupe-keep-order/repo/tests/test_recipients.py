import unittest

from mailing.recipients import parse_list, unique_recipients


class RecipientsTest(unittest.TestCase):
    def test_duplicates_are_removed(self):
        result = unique_recipients(["a@example.com", "b@example.com", "a@example.com"])
        self.assertEqual(sorted(result), ["a@example.com", "b@example.com"])

    def test_parse_list(self):
        text = "# on call\nada@example.com\n\n  grace@example.com  \n"
        self.assertEqual(parse_list(text), ["ada@example.com", "grace@example.com"])


if __name__ == "__main__":
    unittest.main()
