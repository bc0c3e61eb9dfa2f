"""score returns the number of correct predictions (np.sum) instead of their fraction (np.mean)."""
CELL = "net_classifier"
REPLACE = [("return float(np.mean(self.predict(X) == y))", "return float(np.sum(self.predict(X) == y))")]
LOSES = ["test_predict_score"]
MAY_LOSE = []
