"""predict returns the softmax probabilities (n, k) instead of the predicted labels (n,)."""
CELL = "net_classifier"
REPLACE = [("return np.argmax(z2, axis=1)", "return softmax(z2)")]
LOSES = ["test_predict_score"]
# fit records accuracies through score, which compares (n, k) predictions with (n,) labels and fails.
MAY_LOSE = ["test_fit", "test_accuracy"]
