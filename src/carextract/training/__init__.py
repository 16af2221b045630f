"""Training: the layer above extraction that fits models on labelled sources (`carextract train`).

It imports the pipeline (to score held-out folds as extraction would) and scikit-learn; the extraction path never
imports it, so `import carextract` needs neither.
"""
