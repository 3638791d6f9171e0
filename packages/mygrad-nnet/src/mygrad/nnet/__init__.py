"""mygrad.nnet: activations, initializers, layers and losses built on mygrad."""
