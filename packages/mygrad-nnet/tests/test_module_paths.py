"""mygrad.nnet's namespace: the 30 functions, the four subpackages, MyGrad 2.5's module paths."""

from __future__ import annotations

import importlib

import pytest

import mygrad as mg
import mygrad.nnet as nnet

SUBPACKAGES = {
    "activations": [
        "elu", "glu", "hard_tanh", "leaky_relu", "logsoftmax", "relu", "selu", "sigmoid",
        "soft_sign", "softmax", "tanh",
    ],
    "initializers": [
        "constant", "dirac", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform",
        "identity", "normal", "uniform",
    ],
    "layers": ["batchnorm", "conv_nd", "gru", "max_pool"],
    "losses": [
        "focal_loss", "margin_ranking_loss", "multiclass_hinge", "negative_log_likelihood",
        "softmax_crossentropy", "softmax_focal_loss",
    ],
}

# MyGrad 2.5's module of each function (client code imports from these)
MODULE_PATHS = [
    ("activations.elu", "elu"),
    ("activations.glu", "glu"),
    ("activations.hard_tanh", "hard_tanh"),
    ("activations.leaky_relu", "leaky_relu"),
    ("activations.relu", "relu"),
    ("activations.selu", "selu"),
    ("activations.sigmoid", "sigmoid"),
    ("activations.soft_sign", "soft_sign"),
    ("activations.softmax", "logsoftmax"),
    ("activations.softmax", "softmax"),
    ("initializers.constant", "constant"),
    ("initializers.dirac", "dirac"),
    ("initializers.glorot_normal", "glorot_normal"),
    ("initializers.glorot_uniform", "glorot_uniform"),
    ("initializers.he_normal", "he_normal"),
    ("initializers.he_uniform", "he_uniform"),
    ("initializers.normal", "normal"),
    ("initializers.uniform", "uniform"),
    ("layers.batchnorm", "batchnorm"),
    ("layers.conv", "conv_nd"),
    ("layers.gru", "gru"),
    ("layers.pooling", "max_pool"),
    ("layers.utils", "sliding_window_view"),
    ("losses.focal_loss", "focal_loss"),
    ("losses.focal_loss", "softmax_focal_loss"),
    ("losses.margin_ranking_loss", "margin_ranking_loss"),
    ("losses.multiclass_hinge", "multiclass_hinge"),
    ("losses.negative_log_likelihood", "negative_log_likelihood"),
    ("losses.softmax_crossentropy", "softmax_crossentropy"),
]


@pytest.mark.parametrize("sub", sorted(SUBPACKAGES))
def test_each_subpackage_exports_exactly_its_functions(sub):
    module = getattr(nnet, sub)
    assert sorted(module.__all__) == sorted(SUBPACKAGES[sub])
    for name in SUBPACKAGES[sub]:
        assert callable(getattr(module, name))


def test_nnet_reexports_all_thirty_functions_and_the_subpackages():
    names = [n for names in SUBPACKAGES.values() for n in names]
    assert len(names) == 30
    for name in names:
        sub = next(s for s, ns in SUBPACKAGES.items() if name in ns)
        assert getattr(nnet, name) is getattr(getattr(nnet, sub), name)
    assert set(nnet.__all__) == set(names) | set(SUBPACKAGES)


@pytest.mark.parametrize(("module", "name"), MODULE_PATHS)
def test_mygrad_25_module_paths_still_import(module, name):
    found = getattr(importlib.import_module(f"mygrad.nnet.{module}"), name)
    if name == "sliding_window_view":
        assert found is mg.sliding_window_view
    else:
        assert found is getattr(nnet, name)


def test_tanh_and_identity_are_the_core_functions():
    assert nnet.tanh is mg.tanh
    assert nnet.activations.tanh is mg.tanh
    assert nnet.identity is mg.identity
    assert nnet.initializers.identity is mg.identity
