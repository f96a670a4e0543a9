import unittest

from settings.conf import get_int, load


class InlineCommentTest(unittest.TestCase):
    def test_comments_after_values_are_removed(self):
        conf = load("[server]\nport = 8080        ; the public port\nhost = 0.0.0.0\t# all interfaces\n")
        self.assertEqual(conf["server"], {"port": "8080", "host": "0.0.0.0"})
        self.assertEqual(get_int(conf, "server", "port", 80), 8080)

    def test_marks_without_space_before_them_stay(self):
        conf = load("[links]\nurl = http://host/#anchor\nlist = a;b;c\n")
        self.assertEqual(conf["links"], {"url": "http://host/#anchor", "list": "a;b;c"})

    def test_quoted_values_keep_everything(self):
        conf = load('[text]\ngreeting = "hello ; world # !"   ; a comment\nempty = ""\n')
        self.assertEqual(conf["text"], {"greeting": "hello ; world # !", "empty": ""})


if __name__ == "__main__":
    unittest.main()
