# %% [markdown] lang="zh"
# # 测验题生成：神经元、网络与参数
#
# 每个带标题的单元生成一道测验题的若干变体，并以 JSON 打印出来；测验从这个笔记本的记录中读取它们。正确答案是 torch 算出的结果；每个错误选项是 torch 在犯了某个典型错误之后算出的结果（漏掉偏置、忘了激活函数、把两个偏置只算成一个……），并标注了这个错误。

# %% [markdown] lang="en"
# # Quiz generators: neurons, networks and parameters
#
# Each titled cell generates the variants of one quiz question and prints them as
# JSON; the quiz reads them from this notebook's record. The answer is what torch
# computes; every wrong option is what torch computes after a typical mistake
# (the bias left out, the activation forgotten, one bias instead of two, ...),
# labelled with that mistake.

# %% setup
import numpy as np
import torch
from torch import nn

from quizgen import NUM_VARIANTS as num_variants, count, emit, generate, variant

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"
seed = 0


# %% neuron_output
# One ReLU neuron: relu(w . x + b). Half of the variants have a negative pre-activation.
def neuron_output(rng, i):
    w, x = rng.integers(-2, 3, size=3), rng.integers(-2, 3, size=3)
    b = float(rng.choice([-1.5, -0.5, 0.5, 1.5]))
    neuron = nn.Linear(3, 1)
    with torch.no_grad():
        neuron.weight.copy_(torch.tensor(w, dtype=torch.float32)[None])
        neuron.bias.fill_(b)
        xt = torch.tensor(x, dtype=torch.float32)
        z = neuron(xt)
        if (z.item() < 0) != (i % 2 == 0) or abs(z.item()) > 4 or (w * x == 0).all():
            return None
        return variant(
            {"w": str(tuple(int(v) for v in w)), "x": str(tuple(int(v) for v in x)), "b": b},
            round(torch.relu(z).item(), 6),
            {"no_bias": round(torch.relu(xt @ neuron.weight[0]).item(), 6),
             "no_activation": round(z.item(), 6),
             "sigmoid": round(torch.sigmoid(z).item(), 4)})


neuron_output_variants = generate(neuron_output, np.random.default_rng(seed + 1))
emit(neuron_output_variants)

# %% mlp_params
# Parameters of a fully connected network with the given layer sizes: sum of n_(l-1) n_l + n_l.
def mlp(sizes, bias=True):
    layers = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        layers += [nn.Linear(n_in, n_out, bias=bias), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


def mlp_params(rng, i):
    sizes = [int(rng.choice([2, 3, 4, 8]))] + [int(rng.choice([4, 5, 8, 16])) for _ in range(1 + i % 2)]
    sizes.append(int(rng.choice([1, 2, 10])))
    net = mlp(sizes)
    return variant(
        {"sizes": "-".join(map(str, sizes))},
        count(net),
        {"no_bias": count(mlp(sizes, bias=False)),
         "neurons": sum(m.out_features for m in net if isinstance(m, nn.Linear))})   # counted units, not weights


mlp_params_variants = generate(mlp_params, np.random.default_rng(seed + 2))
emit(mlp_params_variants)

# %% rnn_params
# Parameters of nn.RNN: n_h (n_x + n_h + 2), the same for any sequence length.
def rnn_params(rng, i):
    n_x, n_h, steps = int(rng.choice([1, 2, 4, 8, 16])), int(rng.choice([8, 16, 32, 64])), int(rng.choice([10, 20, 50]))
    answer = count(nn.RNN(n_x, n_h))
    return variant(
        {"n_x": n_x, "n_h": n_h, "steps": steps},
        answer,
        {"one_bias": count(nn.RNN(n_x, n_h, bias=False)) + n_h,          # one bias vector, as Keras' SimpleRNN
         "no_recurrent": count(nn.Linear(n_x, n_h)),                      # U, the recurrent weights, forgotten
         "per_step": steps * answer})                                     # weights counted once per time step


rnn_params_variants = generate(rnn_params, np.random.default_rng(seed + 3), distinct=3)
emit(rnn_params_variants)

# %% lstm_params
# Parameters of nn.LSTM: four gates, each with input weights, recurrent weights and two biases.
def lstm_params(rng, i):
    d, h = int(rng.choice([1, 4, 8, 16])), int(rng.choice([16, 32, 50, 64]))
    return variant(
        {"d": d, "h": h},
        count(nn.LSTM(d, h)),
        {"one_bias": count(nn.LSTM(d, h, bias=False)) + 4 * h,           # Keras' LSTM: one bias per gate
         "no_gates": count(nn.RNN(d, h)),                                 # a plain RNN: one "gate"
         "no_recurrent": count(nn.Linear(d, 4 * h))})                     # the h -> gates weights forgotten


lstm_params_variants = generate(lstm_params, np.random.default_rng(seed + 4), distinct=3)
emit(lstm_params_variants)

# %% tree_depth
# A recursive network composes word vectors bottom-up over a binary parse tree; the longest
# path from a word to the root is the tree's depth (a recurrent network's is the sentence length).
sentences = ["the cat sat on the mat", "a dog ran in the park", "my old cat likes warm milk",
             "deep nets learn useful features", "the rain fell all night"]
words = sorted({w for s in sentences for w in s.split()})
dim = 4
embed = nn.Embedding(len(words), dim)
left, right = nn.Linear(dim, dim, bias=False), nn.Linear(dim, dim)


def random_tree(tokens, rng):
    if len(tokens) == 1:
        return tokens[0]
    cut = int(rng.integers(1, len(tokens)))
    return (random_tree(tokens[:cut], rng), random_tree(tokens[cut:], rng))


def compose(node):
    """(vector, compositions on the longest path to a word, compositions in all)."""
    if isinstance(node, str):
        return embed(torch.tensor(words.index(node))), 0, 0
    (a, da, na), (b, db, nb) = compose(node[0]), compose(node[1])
    return torch.tanh(left(a) + right(b)), 1 + max(da, db), na + nb + 1


def bracket(node):
    return node if isinstance(node, str) else f"({bracket(node[0])} {bracket(node[1])})"


def tree_depth(rng, i):
    tokens = str(rng.choice(sentences)).split()
    tree = random_tree(tokens, rng)
    with torch.no_grad():
        _, depth, compositions = compose(tree)
    if depth >= len(tokens) - 1:
        return None  # a chain: nothing to tell apart
    return variant({"tree": bracket(tree), "n": len(tokens)}, depth,
                   {"chain": len(tokens),                  # as deep as a recurrent network over the words
                    "compositions": compositions})         # counted every composition, not the longest path


tree_depth_variants = generate(tree_depth, np.random.default_rng(seed + 5))
emit(tree_depth_variants)

# %% checks
all_variants = [neuron_output_variants, mlp_params_variants, rnn_params_variants, lstm_params_variants,
                tree_depth_variants]
assert all(len(vs) == num_variants for vs in all_variants)
assert all(d["value"] != v["answer"] for vs in all_variants for v in vs for d in v["distractors"])
num_generated = sum(len(vs) for vs in all_variants)
num_generated
