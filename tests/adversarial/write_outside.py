"""Overwrite the gradebook and the source notebooks, by relative and absolute path."""
SOURCE = "import glob\nfor path in ['../../../gradebook.db', '../../../source/adv/adv.ipynb'] + glob.glob('/tmp/**/gradebook.db', recursive=True):\n    try:\n        open(path, 'w').write('owned')\n    except OSError:\n        pass\n"
EXPECT = {'test_double': 0, 'test_b': 1}
