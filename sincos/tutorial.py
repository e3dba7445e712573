"""The whole program: a stateful LSTM learns cos x from sin x (TensorFlow 2).

    python tutorial.py                 # or: python -m sincos.tutorial
    tensorboard --logdir logs          # then open http://localhost:6006

Trains 200 iterations, each batch starting from the LSTM state the batch
before ended in. Prints the cost every 20 iterations, redraws row 0's target
and prediction after every iteration (in a window, or in Jupyter's output),
and writes the cost and the graph for TensorBoard. Needs only TensorFlow,
NumPy and Matplotlib.
"""

import argparse
import sys

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

# %% Hyperparameters
BATCH_START = 0  # index of the first x
TIME_STEPS = 20  # steps per window: how far back the gradient reaches
BATCH_SIZE = 50  # windows trained side by side (the rows of a batch)
INPUT_SIZE = 1  # sin x at each step
OUTPUT_SIZE = 1  # cos x at each step
CELL_SIZE = 10  # units in the LSTM
LR = 0.006  # Adam's learning rate


# %% Data
def get_batches(start=BATCH_START):
    """Batch after batch of (seq, res, xs): sin x, cos x and x. Each batch
    starts TIME_STEPS points later, so row i goes on where row i ended."""
    while True:
        index = np.arange(start, start + TIME_STEPS * BATCH_SIZE)
        xs = index.reshape(BATCH_SIZE, TIME_STEPS) / (10 * np.pi)
        seq = np.sin(xs)[:, :, np.newaxis].astype(np.float32)
        res = np.cos(xs)[:, :, np.newaxis].astype(np.float32)
        yield seq, res, xs
        start += TIME_STEPS


# %% The network
def dense(units, name, seed):
    """A dense layer started the tutorial's way: weights N(0, 1), biases
    0.1."""
    return keras.layers.Dense(
        units,
        kernel_initializer=keras.initializers.RandomNormal(0.0, 1.0, seed),
        bias_initializer=keras.initializers.Constant(0.1),
        name=name,
    )


class LSTMRNN(keras.Model):
    """in_hidden -> LSTM_cell -> out_hidden, the state passed in and out."""

    def __init__(self):
        super().__init__()
        limit = 1 / np.sqrt(CELL_SIZE)  # how TF1's BasicLSTMCell drew them
        uniform = keras.initializers.RandomUniform
        self.in_hidden = dense(CELL_SIZE, "in_hidden", seed=10)
        self.lstm = keras.layers.LSTM(
            CELL_SIZE,
            return_sequences=True,  # an output at every step
            return_state=True,  # and the final (h, c)
            kernel_initializer=uniform(-limit, limit, 11),
            recurrent_initializer=uniform(-limit, limit, 12),
            name="LSTM_cell",
        )
        self.out_hidden = dense(OUTPUT_SIZE, "out_hidden", seed=13)
        zeros = tf.zeros((1, CELL_SIZE))
        self(tf.zeros((1, TIME_STEPS, INPUT_SIZE)), [zeros, zeros])  # builds

    def call(self, seq, state):
        outputs, h, c = self.lstm(self.in_hidden(seq), initial_state=state)
        return self.out_hidden(outputs), [h, c]


def compute_cost(pred, res):
    """The squared errors of the batch summed, divided by its rows."""
    return tf.reduce_sum(tf.square(pred - res)) / BATCH_SIZE


# %% Training
def train(model, iterations=200, plot=True, logdir="logs"):
    """Train, carrying the state from batch to batch; return every cost."""
    optimizer = keras.optimizers.Adam(LR, epsilon=1e-8)  # TF1's epsilon
    optimizer.build(model.trainable_variables)
    writer = log_writer(logdir)

    @tf.function
    def train_step(seq, res, state):
        with tf.GradientTape() as tape:
            pred, final_state = model(seq, state)
            cost = compute_cost(pred, res)
        variables = model.trainable_variables
        gradients = tape.gradient(cost, variables)
        optimizer.apply_gradients(zip(gradients, variables, strict=True))
        return cost, pred, final_state

    show = live_plot() if plot else None
    batches, costs = get_batches(), []
    state = [tf.zeros((BATCH_SIZE, CELL_SIZE))] * 2  # h and c start at 0
    for i in range(iterations):
        seq, res, xs = next(batches)
        cost, pred, state = train_step(seq, res, state)  # state fed back
        costs.append(float(cost))
        if i % 20 == 0:
            print("cost:", round(costs[-1], 4))
        if writer:
            with writer.as_default():
                if i == 0:
                    tf.summary.trace_export("train_step", step=0)
                if i % 20 == 0:
                    tf.summary.scalar("cost", cost, step=i)
        if show:
            show(xs[0], res[0], pred.numpy()[0])
    return costs


def log_writer(logdir):
    """A writer of TensorBoard logs that records the graph of the next call,
    or None without the tensorboard package (tf.summary.scalar needs it)."""
    try:
        import tensorboard  # noqa: F401
    except ImportError:
        print("No TensorBoard logs: pip install tensorboard to write them.")
        return None
    tf.summary.trace_on(graph=True)
    return tf.summary.create_file_writer(logdir)


def live_plot():
    """A figure of row 0's target (red) and prediction (blue dashes) and a
    function that redraws it: in a window, or in Jupyter's output."""
    fig, ax = plt.subplots(figsize=(8, 3))
    target, prediction = ax.plot([], [], "r-", [], [], "b--")
    ax.set(xlabel="x", ylim=(-1.2, 1.2))
    in_jupyter = "ipykernel" in sys.modules
    if in_jupyter:
        from IPython.display import display

        plt.close(fig)  # shown through the handle only
        handle = display(fig, display_id=True)
    else:
        plt.ion()
        plt.show()

    def show(xs, res, pred):
        target.set_data(xs, res)
        prediction.set_data(xs, pred)
        ax.set_xlim(xs[0], xs[-1])
        if in_jupyter:
            handle.update(fig)
        else:
            plt.pause(0.01)

    return show


# %% Run
if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--no-plot", action="store_true")
    parser.add_argument("--logdir", default="logs")
    args, _ = parser.parse_known_args()  # Jupyter adds its own
    train(LSTMRNN(), args.iterations, not args.no_plot, args.logdir)
