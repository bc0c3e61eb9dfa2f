"""Open a network connection (to post the answers, or fetch someone else's)."""
SOURCE = "import socket, urllib.request\ntry:\n    socket.create_connection(('127.0.0.1', 22), timeout=2)\n    leaked = True\nexcept OSError:\n    leaked = False\nassert not leaked, 'the network was reachable'\nimport numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
EXPECT = {'test_double': 2, 'test_b': 1}
