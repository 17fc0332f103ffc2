# %% [markdown] lang="zh"
# # 递归网络与循环网络
#
# 递归网络沿一棵树自底向上组合向量；循环网络从左到右依次折叠一个序列。这里两者使用同一组很小的组合权重，因此唯一的区别在于它们遵循的结构。没有训练：这里关心的是计算本身，而不是准确率。

# %% [markdown] lang="en"
# # Recursive vs recurrent networks
#
# A recursive network composes vectors bottom-up over a tree; a recurrent network
# folds a sequence left to right. Both use the same tiny composition weights here,
# so the only difference is the structure they follow. Untrained: this is about the
# computation, not about accuracy.

# %% setup
import torch
from torch import nn

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% data
tokens = ["the", "cat", "sat", "on", "the", "mat"]
# A binary parse tree as nested pairs: ((the cat) (sat (on (the mat))))
tree = (("the", "cat"), ("sat", ("on", ("the", "mat"))))
# Same words, other bracketing: (((the cat) sat) (on (the mat)))
other_tree = ((("the", "cat"), "sat"), ("on", ("the", "mat")))
vocab = {word: i for i, word in enumerate(sorted(set(tokens)))}
dim = 4
vocab

# %% cell
class Compose(nn.Module):
    """h = tanh(W_left a + W_right b + bias): one step, shared by both networks."""

    def __init__(self, dim):
        super().__init__()
        self.left = nn.Linear(dim, dim, bias=False)
        self.right = nn.Linear(dim, dim)

    def forward(self, a, b):
        return torch.tanh(self.left(a) + self.right(b))


embed = nn.Embedding(len(vocab), dim).to(device)
compose = Compose(dim).to(device)


def word(w):
    """A leaf's vector: the word's embedding; "<0>" is the zero vector (h_0)."""
    if w == "<0>":
        return torch.zeros(dim, device=device)
    return embed(torch.tensor(vocab[w], device=device))


# %% recursive
class RecursiveNN(nn.Module):
    """A recursive network: a node's vector is compose(left child, right child)."""

    def __init__(self, compose):
        super().__init__()
        self.compose = compose

    def forward(self, node, trace):
        if isinstance(node, str):
            return word(node), node, 0
        (a, a_text, a_depth), (b, b_text, b_depth) = (self.forward(child, trace) for child in node)
        trace.append(f"compose({a_text}, {b_text})")
        return self.compose(a, b), f"[{a_text} {b_text}]", 1 + max(a_depth, b_depth)

# %% recursive_run
recursive = RecursiveNN(compose)
recursive_trace = []
with torch.no_grad():
    h_tree, _, recursive_depth = recursive(tree, recursive_trace)
recursive_compositions = len(recursive_trace)
for i, step in enumerate(recursive_trace, 1):
    print(f"{i}. {step}")
print(f"{recursive_compositions} compositions, longest path from a word to the root: {recursive_depth}")

# %% recurrent
class RecurrentNN(nn.Module):
    """A recurrent network: h_t = compose(h_{t-1}, x_t), left to right, h_0 = 0."""

    def __init__(self, compose):
        super().__init__()
        self.compose = compose

    def forward(self, words, trace):
        h = word("<0>")
        for t, w in enumerate(words, 1):
            h = self.compose(h, word(w))
            trace.append(f"h{t} = compose(h{t - 1}, {w})")
        return h

# %% recurrent_run
recurrent = RecurrentNN(compose)
recurrent_trace = []
with torch.no_grad():
    h_seq = recurrent(tokens, recurrent_trace)
recurrent_steps = len(recurrent_trace)
recurrent_depth = recurrent_steps  # the first word passes through every step
print("\n".join(recurrent_trace))
print(f"{recurrent_steps} steps, longest path from a word to the output: {recurrent_depth}")

# %% compare
with torch.no_grad():
    h_other = recursive(other_tree, [])[0]
print("recursive, parse tree  :", [round(v, 4) for v in h_tree.tolist()])
print("recursive, other tree  :", [round(v, 4) for v in h_other.tolist()])
print("recurrent, sequence    :", [round(v, 4) for v in h_seq.tolist()])
tree_vs_sequence_diff = (h_tree - h_seq).abs().max().item()
tree_vs_tree_diff = (h_tree - h_other).abs().max().item()
print(f"max |recursive - recurrent| = {tree_vs_sequence_diff:.4f}")
print(f"max |parse tree - other tree| = {tree_vs_tree_diff:.4f}  (the recurrent net cannot tell them apart)")

# %% chain
# A recurrent net is the special case of a recursive net whose tree is a chain
# leaning left, with the zero vector as its leftmost leaf: ((((((<0> the) cat) sat) on) the) mat).
def chain(words):
    node = "<0>"
    for w in words:
        node = (node, w)
    return node


chain_trace = []
with torch.no_grad():
    h_chain, _, chain_depth = recursive(chain(tokens), chain_trace)
chain_max_diff = (h_chain - h_seq).abs().max().item()
print(f"recursive net on the left chain: {len(chain_trace)} compositions, depth {chain_depth}, "
      f"max difference from the recurrent net {chain_max_diff:.1e}")

# %% checks
assert recursive_compositions == len(tokens) - 1 and recurrent_steps == len(tokens)
assert recursive_depth < recurrent_depth
assert tree_vs_sequence_diff > 1e-3 and tree_vs_tree_diff > 1e-3
assert chain_max_diff == 0.0
recursive_compositions, recurrent_steps
