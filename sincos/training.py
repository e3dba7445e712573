"""Training with the LSTM state carried from batch to batch, written the
TensorFlow 2 way: a ``tf.GradientTape`` step compiled by ``tf.function``.

Explained in the chapter "Training" (notebooks/04_training.ipynb). A faster
engine for the same computation is ``sincos.fast.Trainer``.
"""

from __future__ import annotations

from .data import SinCosBatches
from .model import LSTMRNN, compute_cost, keras, tf


def make_optimizer(model: LSTMRNN) -> keras.optimizers.Adam:
    """Adam with TF1's defaults (Keras's own epsilon is 1e-7, TF1's 1e-8),
    its moment estimates made now: ``tf.function`` may not create them."""
    optimizer = keras.optimizers.Adam(model.hp.learning_rate, epsilon=1e-8)
    optimizer.build(model.trainable_variables)
    return optimizer


@tf.function
def train_step(model, optimizer, seq, res, state):
    """One iteration: predict from ``state``, measure the cost, update
    every weight once. Returns the cost (from before the update), the
    prediction and the final state, for the next batch to start from."""
    with tf.GradientTape() as tape:
        pred, final_state = model(seq, state)
        cost = compute_cost(pred, res)
    variables = model.trainable_variables
    gradients = tape.gradient(cost, variables)
    optimizer.apply_gradients(zip(gradients, variables, strict=True))
    return cost, pred, final_state


def train(
    model: LSTMRNN,
    optimizer,
    batches: SinCosBatches,
    iterations: int = 200,
    *,
    stateful: bool = True,
    print_every: int = 20,
    log_every: int = 20,
    on_step=None,
    writer=None,
):
    """The tutorial's loop: each batch starts from the state the previous
    one ended in (from zeros if not ``stateful``). Prints the cost every
    ``print_every`` iterations (never if 0); given a ``tf.summary`` writer,
    writes it there every ``log_every`` iterations. Calls
    ``on_step(i, xs, res, pred, costs)`` after every iteration (a live plot,
    say). Returns every cost and the final state."""
    rows = batches.hp.batch_size
    state = model.zero_state(rows)
    costs = []
    for i in range(iterations):
        seq, res, xs = next(batches)
        if not stateful:
            state = model.zero_state(rows)
        cost, pred, state = train_step(model, optimizer, seq, res, state)
        costs.append(float(cost))
        if on_step is not None:
            on_step(i, xs, res, pred.numpy(), costs)
        if print_every and i % print_every == 0:
            print(f"iteration {i:3d}  cost: {costs[-1]:.3g}")
        if writer is not None and log_every and i % log_every == 0:
            with writer.as_default():
                tf.summary.scalar("cost", cost, step=i)
    return costs, state
