"""Upper bounds on the priority any schedule can place, to say how far from the best one is."""

from __future__ import annotations

from ortools.graph.python import min_cost_flow

from .problem import Problem


def slot_bound(problem: Problem) -> int:
    """Exact at slot level for each participant taken alone.

    Every meeting is charged to one of its two participants (the busier one: requests per free
    slot), and a participant's charged meetings can at best take distinct slots that both sides
    of each meeting have free: a maximum-weight bipartite matching of meetings to slots, solved
    exactly as a min-cost flow. The charged sets split the meetings, so the sum bounds the
    priority of every schedule. On the generated 1,000-participant forum it is 7,607 where the
    LP relaxation by day gives 7,719 (docs/scheduler.md).
    """
    free = {p.id: len(problem.slots) - len(p.unavailable) for p in problem.participants}
    load = {
        person: len(ids) / max(1, free[person])
        for person, ids in problem.meetings_by_participant.items()
    }
    charged: dict[int, list] = {}
    for meeting in problem.meetings:
        if meeting.allowed:
            side = max((load[meeting.a], meeting.a), (load[meeting.b], meeting.b))[1]
            charged.setdefault(side, []).append(meeting)
    total = 0
    for meetings in charged.values():
        count = len(meetings)
        if all(len(m.allowed) >= count for m in meetings):
            total += sum(m.priority for m in meetings)  # Hall's condition: they all fit
            continue
        flow = min_cost_flow.SimpleMinCostFlow()
        source, sink = 0, 1
        slot_node: dict[int, int] = {}
        for number, meeting in enumerate(meetings, start=2):
            flow.add_arc_with_capacity_and_unit_cost(source, number, 1, 0)
            flow.add_arc_with_capacity_and_unit_cost(number, sink, 1, 0)  # left out
            for slot in meeting.allowed:
                node = slot_node.setdefault(slot, 2 + count + len(slot_node))
                flow.add_arc_with_capacity_and_unit_cost(number, node, 1, -meeting.priority)
        for node in slot_node.values():
            flow.add_arc_with_capacity_and_unit_cost(node, sink, 1, 0)
        flow.set_node_supply(source, count)
        flow.set_node_supply(sink, -count)
        if flow.solve() != flow.OPTIMAL:  # always feasible: every meeting may be left out
            raise RuntimeError("the slot bound's flow network did not solve")
        total -= flow.optimal_cost()
    return total
