"""Read the instructor's notebook (hidden tests, reference) and the gradebook from disk."""
SOURCE = "import glob, json, os\nfound = []\nfor pattern in ('../../../source/*/*.ipynb', '/tmp/*/course/source/*/*.ipynb', '../../../gradebook.db', os.environ.get('AG_COURSE', '/nonexistent') + '/source/*/*.ipynb'):\n    for path in glob.glob(pattern):\n        found.append(open(path, 'rb').read())\ndef double(x):\n    return found\n"
EXPECT = {'test_double': 0, 'test_b': 1}
