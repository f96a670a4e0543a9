import unittest

from settings.conf import ConfError, get_int, load

SAMPLE = """
# service configuration
[server]
port = 8080
host = 0.0.0.0

; logging
[log]
level = info
"""


class LoadTest(unittest.TestCase):
    def test_sections_and_values(self):
        conf = load(SAMPLE)
        self.assertEqual(conf["server"], {"port": "8080", "host": "0.0.0.0"})
        self.assertEqual(conf["log"]["level"], "info")
        self.assertEqual(get_int(conf, "server", "port", 80), 8080)
        self.assertEqual(get_int(conf, "server", "workers", 4), 4)

    def test_bad_line(self):
        with self.assertRaises(ConfError):
            load("[a]\nnot a pair\n")


if __name__ == "__main__":
    unittest.main()
