"""Output bounded while it streams: nbclient's client, with each stream of each
cell kept as :class:`execdoc.text.Capped` (head, tail and the truncation note)
and every snippet's kept outputs capped as a whole.

Plain nbclient appends every stream message as an output of its own and merges
them after the cell, so a runaway print grows the engine's memory until the
timeout; its carriage-return rule is also quadratic on a long line. Here a
stream message costs time linear in its length and memory bounded by the
limit, whatever the snippet prints, and the merge happens once, at the end.
"""

from __future__ import annotations

from nbclient import NotebookClient
from nbformat import NotebookNode
from nbformat.v4 import output_from_msg

from ..text import Capped, Redrawn, keep_redraws_as_nbclient, truncate

RICH_TEXT = ("text/plain", "text/html", "image/svg+xml")


def _size(output: NotebookNode) -> int:
    data = output.get("data") or {}
    return sum(len(v) for v in data.values() if isinstance(v, str)) + len(str(output.get("traceback", "")))


class CappedClient(NotebookClient):
    """``stream_limit``: bytes per stream per cell; ``snippet_limit``: bytes of
    all kept outputs of the snippet, past which further outputs are dropped
    and one note says so."""

    def __init__(self, nb, km=None, *, stream_limit: int, snippet_limit: int, **kw):
        super().__init__(nb, km=km, coalesce_streams=False, **kw)
        self.stream_limit, self.snippet_limit = stream_limit, snippet_limit
        self.streams: dict[tuple[int, str], tuple[NotebookNode, Redrawn]] = {}
        self.kept = 0  # bytes of rich outputs and of finished streams
        self.dropped = 0

    def _clear(self, outs, cell_index: int) -> None:
        outs[:] = []
        self.clear_display_id_mapping(cell_index)
        for key in [k for k in self.streams if k[0] == cell_index]:
            del self.streams[key]

    def clear_output(self, outs, msg, cell_index):
        if self.output_hook_stack[msg["parent_header"].get("msg_id")] or msg["content"].get("wait"):
            return super().clear_output(outs, msg, cell_index)
        self._clear(outs, cell_index)

    def output(self, outs, msg, display_id, cell_index):
        if self.output_hook_stack[msg["parent_header"].get("msg_id")]:
            return super().output(outs, msg, display_id, cell_index)
        if self.clear_before_next_output:
            self._clear(outs, cell_index)
            self.clear_before_next_output = False
        if msg["msg_type"] == "stream":
            name = msg["content"].get("name", "stdout")
            found = self.streams.get((cell_index, name))
            if found is None:
                if self._over(outs, min(len(msg["content"].get("text", "")), self.stream_limit)):
                    return None
                node = NotebookNode(output_type="stream", name=name, text="")
                found = self.streams[(cell_index, name)] = (node, Redrawn(Capped(self.stream_limit)))
                outs.append(node)
            found[1].add(msg["content"].get("text", ""))
            return found[0]
        try:
            out = output_from_msg(msg)
        except ValueError:
            return None
        data = out.get("data") or {}
        for mime in RICH_TEXT:
            if isinstance(data.get(mime), str):
                data[mime] = truncate(data[mime], self.stream_limit)
        if self._over(outs, _size(out)):
            return None
        self.kept += _size(out)
        if display_id:
            self._display_id_map.setdefault(display_id, {}).setdefault(cell_index, []).append(len(outs))
        outs.append(out)
        return out

    def _over(self, outs, size: int) -> bool:
        """Whether the snippet's outputs are past their cap; the first refusal leaves a note."""
        running = self.kept + sum(min(c.total, self.stream_limit) for _, c in self.streams.values())
        if running + size <= self.snippet_limit:
            return False
        if not self.dropped:
            outs.append(NotebookNode(output_type="stream", name="stderr", text=(
                f"[... execdoc: further output dropped, this snippet's outputs passed "
                f"{self.snippet_limit:,} bytes ...]\n")))
        self.dropped += 1
        return True

    def finish_cell(self, cell: NotebookNode, cell_index: int) -> None:
        """Each stream's kept text, nbclient's carriage-return rule and its
        order (stdout before an adjacent stderr); called once the cell ended."""
        for key in [k for k in self.streams if k[0] == cell_index]:
            node, capped = self.streams.pop(key)
            node["text"] = keep_redraws_as_nbclient(capped.text())
            self.kept += min(capped.total, self.stream_limit)
        outs = cell.get("outputs", [])
        for i, out in enumerate(outs):
            if (out.get("output_type") == "stream" and out.get("name") == "stderr" and i + 1 < len(outs)
                    and outs[i + 1].get("output_type") == "stream" and outs[i + 1].get("name") == "stdout"):
                outs.insert(i, outs.pop(i + 1))

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        try:
            return await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        except AssertionError:  # the channels were closed under it (a timeout): nothing more to read
            if self.kc is not None and self.kc.iopub_channel.socket is None:
                return None
            raise

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        self.on_cell_executed = lambda cell, cell_index, **_: self.finish_cell(cell, cell_index)
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        finally:
            self.finish_cell(cell, cell_index)
