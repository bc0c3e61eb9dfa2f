"""An AST transformer that deletes every assert from later cells (the tests)."""
SOURCE = 'import ast, numpy as np\nclass NoAsserts(ast.NodeTransformer):\n    def visit_Assert(self, node):\n        return ast.Pass()\nget_ipython().ast_transformers.append(NoAsserts())\ndef double(x):\n    return np.zeros(np.shape(x))\n'
EXPECT = {'test_double': 0, 'test_b': 0}
REASON = 'tamper'
