"""Train a small convolutional network with mygrad.nnet on scikit-learn's 8x8 digits.

The 1,797 handwritten digits ship with scikit-learn (no download). A held-out quarter of
them is the test set. The network is two conv -> relu -> max-pool blocks and two dense
layers, trained with Adam on the softmax cross-entropy. A progress bar shows each epoch;
afterwards a PNG with the loss and the accuracies per epoch is written, its path printed,
and the last line reports the test accuracy.

Run it (needs the ``demo`` extra: ``pip install mygrad-nnet[demo]``)::

    python examples/nnet_demo/train_digits.py [--epochs 15] [--plot PATH] [--seed 0]
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display needed

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402
from tqdm import tqdm  # noqa: E402

import mygrad as mg  # noqa: E402
from mygrad.nnet import conv_nd, max_pool, relu, softmax_crossentropy  # noqa: E402
from mygrad.nnet.initializers import constant, glorot_uniform, he_normal  # noqa: E402

DEFAULT_PLOT = Path(tempfile.gettempdir()) / "mygrad_nnet_demo" / "digits_training.png"


@dataclass
class History:
    """Per-epoch numbers for the plot."""

    train_loss: list[float]
    train_accuracy: list[float]
    test_accuracy: list[float]


class ConvNet:
    """conv(16) -> relu -> pool -> conv(32) -> relu -> pool -> dense(64) -> relu -> dense(10)."""

    def __init__(self) -> None:
        relu_gain = math.sqrt(2)
        self.params = [
            he_normal(16, 1, 3, 3, gain=relu_gain),
            constant(16, value=0.0, dtype=np.float32),
            he_normal(32, 16, 3, 3, gain=relu_gain),
            constant(32, value=0.0, dtype=np.float32),
            he_normal(32 * 2 * 2, 64, gain=relu_gain),
            constant(64, value=0.0, dtype=np.float32),
            glorot_uniform(64, 10),
            constant(10, value=0.0, dtype=np.float32),
        ]

    def __call__(self, images: np.ndarray) -> mg.Tensor:
        w1, b1, w2, b2, w3, b3, w4, b4 = self.params
        x = relu(conv_nd(images, w1, stride=1, padding=1) + b1.reshape(1, -1, 1, 1))
        x = max_pool(x, (2, 2), 2)  # (N, 16, 4, 4)
        x = relu(conv_nd(x, w2, stride=1, padding=1) + b2.reshape(1, -1, 1, 1))
        x = max_pool(x, (2, 2), 2)  # (N, 32, 2, 2)
        x = relu(x.reshape(len(images), -1) @ w3 + b3)
        return x @ w4 + b4


class Adam:
    """Adam (Kingma & Ba, 2015) updating the tensors' arrays in place after backward."""

    def __init__(self, params: list[mg.Tensor], lr: float = 3e-3) -> None:
        self.params, self.lr, self.steps = params, lr, 0
        self.m = [np.zeros_like(p.data) for p in params]
        self.v = [np.zeros_like(p.data) for p in params]

    def step(self, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        self.steps += 1
        scale = self.lr * math.sqrt(1 - beta2**self.steps) / (1 - beta1**self.steps)
        for p, m, v in zip(self.params, self.m, self.v):
            m *= beta1
            m += (1 - beta1) * p.grad
            v *= beta2
            v += (1 - beta2) * p.grad**2
            p.data -= scale * m / (np.sqrt(v) + eps)


def accuracy(model: ConvNet, images: np.ndarray, labels: np.ndarray) -> float:
    with mg.no_autodiff:
        scores = model(images)
    return float(np.mean(np.argmax(scores.data, axis=1) == labels))


def load_split(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, np.newaxis]  # (1797, 1, 8, 8)
    return train_test_split(
        images, digits.target, test_size=0.25, random_state=seed, stratify=digits.target
    )


def train(epochs: int, batch_size: int, seed: int) -> tuple[ConvNet, History]:
    np.random.seed(seed)  # the initializers draw from NumPy's global RNG
    shuffler = np.random.default_rng(seed)
    x_train, x_test, y_train, y_test = load_split(seed)
    model = ConvNet()
    optimizer = Adam(model.params)
    history = History([], [], [])
    base_lr = optimizer.lr
    bar = tqdm(range(epochs), desc="training", unit="epoch")
    for epoch in bar:
        # cosine decay: large steps early, fine ones to settle at the end
        optimizer.lr = base_lr * 0.5 * (1 + math.cos(math.pi * epoch / epochs))
        order = shuffler.permutation(len(x_train))
        losses = []
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            loss = softmax_crossentropy(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        history.train_loss.append(float(np.mean(losses)))
        history.train_accuracy.append(accuracy(model, x_train, y_train))
        history.test_accuracy.append(accuracy(model, x_test, y_test))
        bar.set_postfix(
            loss=f"{history.train_loss[-1]:.3f}", test_acc=f"{history.test_accuracy[-1]:.3f}"
        )
    return model, history


def plot(history: History, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    epochs = np.arange(1, len(history.train_loss) + 1)
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4))
    ax_loss.plot(epochs, history.train_loss, marker="o")
    ax_loss.set(title="training loss (softmax cross-entropy)", xlabel="epoch", ylabel="loss")
    ax_acc.plot(epochs, history.train_accuracy, marker="o", label="train")
    ax_acc.plot(epochs, history.test_accuracy, marker="o", label="test")
    ax_acc.set(title="accuracy", xlabel="epoch", ylabel="accuracy")
    ax_acc.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plot", type=Path, default=DEFAULT_PLOT, help="where to write the PNG")
    args = parser.parse_args()

    # the matrix products here are small: one BLAS thread beats several, which spend more
    # time synchronising than multiplying (badly so when other processes share the cores)
    with threadpool_limits(limits=1, user_api="blas"):
        started = time.perf_counter()
        model, history = train(args.epochs, args.batch_size, args.seed)
        elapsed = time.perf_counter() - started
    plot(history, args.plot)
    print(f"trained {args.epochs} epochs in {elapsed:.1f} s")
    print(f"wrote the loss and accuracy curves to {args.plot.resolve()}")
    print(f"test accuracy: {history.test_accuracy[-1]:.3f}")


if __name__ == "__main__":
    main()
