import unittest

from mailing.recipients import unique_recipients


class OrderTest(unittest.TestCase):
    def test_first_occurrence_order_is_kept(self):
        addresses = [f"user{i}@example.com" for i in range(30, 0, -1)]
        self.assertEqual(unique_recipients(addresses + addresses), addresses)

    def test_case_and_spaces_are_the_same_recipient(self):
        result = unique_recipients([" Ada@Example.com", "grace@example.com", "ada@example.com ", "GRACE@example.com"])
        self.assertEqual(result, ["Ada@Example.com", "grace@example.com"])

    def test_empty(self):
        self.assertEqual(unique_recipients([]), [])


if __name__ == "__main__":
    unittest.main()
