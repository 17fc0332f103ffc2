# %% [markdown] lang="zh"
# # 练习：平衡的树有多深
#
# 常见问题一页练习的参考答案：把 Q3 的句子换成 8 个词，递归网络沿一棵平衡的二叉树组合，循环网络按顺序读，比较组合次数和从最远的词到输出的路径长度。组合函数与 Q3 相同（未训练）。

# %% [markdown] lang="en"
# # Exercise: how deep is a balanced tree
#
# The worked answer to the FAQ page's exercise: Q3's sentence becomes 8 words; the
# recursive net composes them along a balanced binary tree, the recurrent net reads them
# in order, and the number of compositions and the longest path from a word to the output
# are compared. The composition function is Q3's (untrained).

# %% setup
import torch
from torch import nn

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"

# %% data
# The change: 8 words and a balanced tree instead of Q3's 6 words and parse tree.
tokens = ["the", "old", "cat", "sat", "on", "the", "warm", "mat"]
tree = ((("the", "old"), ("cat", "sat")), (("on", "the"), ("warm", "mat")))
vocab = {word: i for i, word in enumerate(sorted(set(tokens)))}
dim = 4

# %% nets
# Q3's cells, unchanged: one composition h = tanh(W_l a + W_r b + bias) for both networks.
left, right = nn.Linear(dim, dim, bias=False).to(device), nn.Linear(dim, dim).to(device)
embed = nn.Embedding(len(vocab), dim).to(device)
compose = lambda a, b: torch.tanh(left(a) + right(b))
word = lambda w: embed(torch.tensor(vocab[w], device=device))


def recursive(node):
    """(vector, number of compositions, depth) of a tree node, bottom up."""
    if isinstance(node, str):
        return word(node), 0, 0
    (a, na, da), (b, nb, db) = recursive(node[0]), recursive(node[1])
    return compose(a, b), na + nb + 1, 1 + max(da, db)

# %% compare
with torch.no_grad():
    h_tree, recursive_compositions, recursive_depth = recursive(tree)
    h = torch.zeros(dim, device=device)
    for w in tokens:                             # the recurrent net: h_t = compose(h_{t-1}, x_t)
        h = compose(h, word(w))
recurrent_steps = recurrent_depth = len(tokens)
print(f"recursive: {recursive_compositions} compositions, depth {recursive_depth}")
print(f"recurrent: {recurrent_steps} steps, depth {recurrent_depth}")

# %% checks
assert recursive_compositions == len(tokens) - 1
assert 2 ** recursive_depth == len(tokens)       # a balanced tree: depth log2(n)
recursive_depth, recurrent_depth
