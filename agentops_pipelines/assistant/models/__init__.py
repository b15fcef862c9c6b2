"""Trained weights of the learned ambiguity layer (JSON, rebuilt by `make ambiguity-model`)."""
