"""Benchmark of the lifecycle core (:mod:`microgov.lifecycle`) against ``transitions`` and
``python-statemachine``.

Usage::

    python benchmarks/lifecycle.py                  # 100,000 projects × 10 events, 3 runs
    python benchmarks/lifecycle.py --projects 20000 --repeat 5
    python benchmarks/lifecycle.py --quick          # tiny sizes, a few seconds (smoke test)

Needs (bench-only, not dependencies of microgov): ``transitions`` and
``python-statemachine`` (``pip install transitions python-statemachine``).

Every project walks the same 10-command path of the :data:`~microgov.lifecycle.PROJECT`
table — open_solicitation, raise_hands, accept, publish_decision, fund, start, complete,
publicise, evaluate, close — so 100,000 projects make 1,000,000 events.  The three
libraries drive *the same table*: the ``transitions`` and python-statemachine machines
are generated from ``PROJECT.states`` and ``PROJECT.transitions``.

What each side does per command (the fair setting, used for the ratios):

* **authorization off for all**: microgov runs a copy of ``PROJECT`` with every
  transition's ``roles`` emptied (no governance-graph look-up); the other libraries have
  no notion of it.
* **the same guards, all trivially true**: each guard name of the table is a condition
  on the other machines (a method returning True) and, for microgov, a guard returning a
  pre-built passing :class:`~microgov.policy.Verdict` — ``evaluate`` runs three guards
  on every side, ``accept`` and ``complete`` one each.
* microgov builds a :class:`~microgov.lifecycle.Command` per command (item, actor,
  aware time) and keeps the emitted :class:`~microgov.lifecycle.Event` values (1M of
  them); the other libraries are sent the command name and keep the command names as
  their log.
* **replay**: microgov folds each project's events with
  :func:`~microgov.lifecycle.replay` (guards are not re-run: their verdicts are in the
  events); the other libraries re-send the logged commands to a fresh machine/model
  (their only way to rebuild a state through the library), which re-runs the conditions.

Styles measured for the baselines:

* ``transitions`` **per-object**: one shared ``Machine`` and one model object per project
  (``machine.add_model``), the library's recommended way to drive many objects; each
  model is removed (``remove_model``) after its commands, as a service handling one
  project per request would, because ``add_model`` scans the models already held (100,000
  models held at once make it quadratic);
  **shared**: one ``Machine`` and one model whose ``state`` attribute is set to the
  project's state before each command.
* ``python-statemachine`` **per-object**: one ``StateMachine`` instance per project
  (its natural use; construction costs ~0.6 ms, so it runs on a sample of
  ``--sample`` projects, throughput measured on that sample); **shared**: one machine
  bound to one model object whose ``state`` is set before each command (its final
  states declared non-final, since a machine that reaches a final state stops), on the
  same sample (at ~4,000 events/s, 1M events would take minutes per run).

For information, microgov is also run (on the ``--sample`` projects) with the real table
(authorization **on**: each command checked with ``Hierarchy.may_act`` on a two-area
graph, and its verdict kept in the event) and the real built-in guards with passing
inputs.

Times are ``time.perf_counter`` medians of ``--repeat`` runs, with the cyclic garbage
collector off during each timed run for every side (as :mod:`timeit` does; ``--with-gc``
keeps it on: with 1M live events and 100,000 live models, full collections then cost every
side a lot).  Every side must end every
project in ``closed`` (asserted); the exit status is non-zero only if they disagree.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from microgov.hierarchy import Hierarchy, Level, Node, Role, RoleAssignment
from microgov.lifecycle import (
    DEFAULT_GUARDS,
    PROJECT,
    Command,
    Context,
    Event,
    Lifecycle,
    apply,
    replay,
)
from microgov.policy import Verdict

try:
    import transitions
    from transitions import Machine
except ImportError:  # pragma: no cover - reported below
    transitions = None  # type: ignore[assignment]

try:
    import statemachine
    from statemachine import State, StateMachine
except ImportError:  # pragma: no cover - reported below
    statemachine = None  # type: ignore[assignment]

SH = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 3, 2, 9, 30, tzinfo=SH)
PATH = (
    "open_solicitation",
    "raise_hands",
    "accept",
    "publish_decision",
    "fund",
    "start",
    "complete",
    "publicise",
    "evaluate",
    "close",
)
FINAL = "closed"

Result = tuple[float, int]  # seconds, events


KEEP_GC = False  # set by --with-gc


def median_time(repeat: int, run: Callable[[], Result]) -> tuple[float, int]:
    """The median time of ``repeat`` runs; the cyclic GC is off during each (like timeit)."""
    times: list[float] = []
    events = 0
    for _ in range(repeat):
        gc.collect()
        if not KEEP_GC:
            gc.disable()
        try:
            seconds, events = run()
        finally:
            gc.enable()
        times.append(seconds)
    return statistics.median(times), events


# -- microgov ------------------------------------------------------------------------------


def _pass_verdict(name: str) -> Verdict:
    return Verdict(rule=name, passed=True, code=name, message_en="ok", message_zh="通过")


def trivial_guards() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in DEFAULT_GUARDS:
        verdict = _pass_verdict(name)
        out[name] = lambda state, command, context, _v=verdict: _v
    return out


def no_auth_table() -> Lifecycle:
    return attrs.evolve(
        PROJECT, transitions=tuple(attrs.evolve(t, roles=()) for t in PROJECT.transitions)
    )


def small_hierarchy() -> Hierarchy:
    nodes = [Node(id="t", level=Level.TOWN, name="罗店镇")]
    links = []
    for area in ("a", "b"):
        nodes.append(Node(id=f"area-{area}", level=Level.RESIDENTIAL_AREA, name=area, parent="t"))
        nodes.append(
            Node(id=f"grid-{area}", level=Level.MICRO_GRID, name=area, parent=f"area-{area}")
        )
        for role in (Role.PARTY_SECRETARY, Role.COMMITTEE_MEMBER, Role.SOCIAL_WORKER):
            links.append(
                RoleAssignment(
                    id=f"ra-{area}-{role.value}",
                    person=f"{role.value}-{area}",
                    role=role,
                    node=f"area-{area}",
                    start=date(2024, 1, 1),
                )
            )
        links.append(
            RoleAssignment(
                id=f"ra-{area}-gl",
                person=f"gl-{area}",
                role=Role.GRID_LEADER,
                node=f"grid-{area}",
                start=date(2024, 1, 1),
            )
        )
    return Hierarchy(nodes, links)


def real_inputs() -> dict[str, tuple[Any, tuple[Verdict, ...]]]:
    """Payload and verdicts per command that satisfy the real built-in guards."""
    vote = (_pass_verdict("quorum.residents_meeting"), _pass_verdict("majority.residents"))
    inspection = (_pass_verdict("inspection.works"),)
    evaluation = (_pass_verdict("scoring.satisfaction"),)
    notice = MappingProxyType(
        {"notice_ends_at": (AT - timedelta(days=1)).isoformat(), "objections": 0}
    )
    empty: Any = MappingProxyType({})
    out = dict.fromkeys(PATH, (empty, ()))
    out["accept"] = (empty, vote)
    out["complete"] = (empty, inspection)
    out["evaluate"] = (notice, evaluation)
    return out


def run_microgov(
    items: list[str], table: Lifecycle, ctx: Context, actor: str, real: bool, keep: list[Any]
) -> Result:
    inputs = real_inputs()
    steps = (
        [(name, *inputs[name]) for name in PATH] if real else [(name, None, ()) for name in PATH]
    )
    logs: list[list[Event]] = []
    finals: list[str] = []
    start = table.initial
    empty: Any = MappingProxyType({})
    t0 = time.perf_counter()
    for item in items:
        state = start
        log: list[Event] = []
        for name, payload, verdicts in steps:
            state, events = apply(
                table,
                state,
                Command(
                    name=name,
                    item=item,
                    actor=actor,
                    at=AT,
                    payload=payload if payload is not None else empty,
                    verdicts=verdicts,
                ),
                ctx,
            )
            log += events
        logs.append(log)
        finals.append(state)
    seconds = time.perf_counter() - t0
    assert all(s == FINAL for s in finals), "microgov: a project did not reach 'closed'"
    keep[:] = logs
    return seconds, len(items) * len(PATH)


def run_microgov_replay(table: Lifecycle, logs: list[list[Event]]) -> Result:
    t0 = time.perf_counter()
    finals = [replay(table, log) for log in logs]
    seconds = time.perf_counter() - t0
    assert all(s == FINAL for s in finals), "microgov replay disagrees"
    return seconds, sum(map(len, logs))


# -- transitions ---------------------------------------------------------------------------


def _cond_name(guard: str) -> str:
    return "g_" + guard.replace(".", "_")


def transitions_spec() -> tuple[list[str], list[dict[str, Any]]]:
    states = [s.key for s in PROJECT.states]
    rows = []
    for t in PROJECT.transitions:
        rows.append(
            {
                "trigger": t.command,
                "source": list(t.sources(PROJECT.states)),
                "dest": t.target,
                "conditions": [_cond_name(g) for g in t.guards],
            }
        )
    return states, rows


def _model_class() -> type:
    ns: dict[str, Any] = {"__slots__": ("state", "__dict__")}
    for name in DEFAULT_GUARDS:
        ns[_cond_name(name)] = lambda self: True
    return type("ProjectModel", (), ns)


def run_transitions_per_object(n: int, keep: list[Any]) -> Result:
    states, rows = transitions_spec()
    model_cls = _model_class()
    machine = Machine(
        model=[], states=states, transitions=rows, initial=PROJECT.initial, auto_transitions=False
    )
    logs: list[list[str]] = []
    finals: list[str] = []
    t0 = time.perf_counter()
    for _ in range(n):
        model = model_cls()
        machine.add_model(model)
        log: list[str] = []
        for name in PATH:
            model.trigger(name)
            log.append(name)
        machine.remove_model(model)  # add_model is O(models held): keep few
        logs.append(log)
        finals.append(model.state)
    seconds = time.perf_counter() - t0
    assert all(s == FINAL for s in finals), "transitions disagrees"
    keep[:] = logs
    return seconds, n * len(PATH)


def run_transitions_replay(logs: list[list[str]]) -> Result:
    states, rows = transitions_spec()
    model_cls = _model_class()
    machine = Machine(
        model=[], states=states, transitions=rows, initial=PROJECT.initial, auto_transitions=False
    )
    finals = []
    t0 = time.perf_counter()
    for log in logs:
        model = model_cls()
        machine.add_model(model)
        for name in log:
            model.trigger(name)
        machine.remove_model(model)
        finals.append(model.state)
    seconds = time.perf_counter() - t0
    assert all(s == FINAL for s in finals), "transitions replay disagrees"
    return seconds, sum(map(len, logs))


def run_transitions_shared(n: int) -> Result:
    states, rows = transitions_spec()
    model = _model_class()()
    Machine(
        model=model,
        states=states,
        transitions=rows,
        initial=PROJECT.initial,
        auto_transitions=False,
    )
    store = [PROJECT.initial] * n
    trigger = model.trigger
    t0 = time.perf_counter()
    for i in range(n):
        for name in PATH:
            model.state = store[i]
            trigger(name)
            store[i] = model.state
    seconds = time.perf_counter() - t0
    assert all(s == FINAL for s in store), "transitions (shared) disagrees"
    return seconds, n * len(PATH)


# -- python-statemachine -------------------------------------------------------------------


def statemachine_class(*, shared: bool = False) -> type:
    """The PROJECT table as a python-statemachine class.

    With ``shared``, final states are declared non-final (and the trap/final checks
    turned off): a machine that enters a final state stops for good, and a shared
    machine must go on serving the next project.
    """
    ns: dict[str, Any] = {}
    if shared:
        ns["validate_trap_states"] = False
        ns["validate_final_reachability"] = False
    states: dict[str, Any] = {}
    for s in PROJECT.states:
        states[s.key] = State(
            s.label_en, value=s.key, initial=s.key == PROJECT.initial, final=s.final and not shared
        )
    ns.update(states)
    for t in PROJECT.transitions:
        cond = [_cond_name(g) for g in t.guards]
        combined = None
        for source in t.sources(PROJECT.states):
            edge = (
                states[source].to.itself(cond=cond)
                if source == t.target
                else states[source].to(states[t.target], cond=cond)
            )
            combined = edge if combined is None else combined | edge
        ns[t.command] = combined
    for name in DEFAULT_GUARDS:
        ns[_cond_name(name)] = lambda self: True
    return type("ProjectStateMachine", (StateMachine,), ns)


def run_statemachine_per_object(n: int, keep: list[Any]) -> Result:
    sm_cls = statemachine_class()
    logs: list[list[str]] = []
    finals: list[str] = []
    t0 = time.perf_counter()
    for _ in range(n):
        sm = sm_cls()
        log: list[str] = []
        for name in PATH:
            sm.send(name)
            log.append(name)
        logs.append(log)
        finals.append(sm.current_state_value)
    seconds = time.perf_counter() - t0
    assert all(s == FINAL for s in finals), "python-statemachine disagrees"
    keep[:] = logs
    return seconds, n * len(PATH)


def run_statemachine_replay(logs: list[list[str]]) -> Result:
    sm_cls = statemachine_class()
    finals = []
    t0 = time.perf_counter()
    for log in logs:
        sm = sm_cls()
        for name in log:
            sm.send(name)
        finals.append(sm.current_state_value)
    seconds = time.perf_counter() - t0
    assert all(s == FINAL for s in finals), "python-statemachine replay disagrees"
    return seconds, sum(map(len, logs))


class _Holder:
    state: str | None = None


def run_statemachine_shared(n: int) -> Result:
    sm_cls = statemachine_class(shared=True)
    model = _Holder()
    sm = sm_cls(model=model)
    send = sm.send
    store = [PROJECT.initial] * n
    t0 = time.perf_counter()
    for i in range(n):
        for name in PATH:
            model.state = store[i]
            send(name)
            store[i] = model.state  # type: ignore[assignment]
    seconds = time.perf_counter() - t0
    assert all(s == FINAL for s in store), "python-statemachine (shared) disagrees"
    return seconds, n * len(PATH)


# -- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument(
        "--sample",
        type=int,
        default=5_000,
        help="projects for python-statemachine's per-object style (slow to construct)",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run (smoke test)")
    parser.add_argument(
        "--with-gc", action="store_true", help="keep the cyclic GC on during the timed runs"
    )
    args = parser.parse_args(argv)
    global KEEP_GC
    KEEP_GC = args.with_gc
    if args.quick:
        args.projects, args.sample, args.repeat = 300, 100, 1
    n, sample, repeat = args.projects, min(args.sample, args.projects), args.repeat
    print(
        f"lifecycle benchmark: {n:,} projects × {len(PATH)} events = {n * len(PATH):,} events; "
        f"median of {repeat} run(s); cyclic GC {'on' if KEEP_GC else 'off'} while timed; "
        f"Python {sys.version.split()[0]}"
    )
    items = [f"p-{i:06d}" for i in range(n)]
    hierarchy = small_hierarchy()
    rows: list[tuple[str, str, float, int]] = []  # (name, kind, seconds, events)

    def record(name: str, kind: str, result: tuple[float, int]) -> float:
        seconds, events = result
        rows.append((name, kind, seconds, events))
        rate = events / seconds if seconds else float("inf")
        print(f"  {name:<52} {kind:<7} {seconds:8.3f} s  {rate:>12,.0f} events/s")
        return rate

    rates: dict[str, float] = {}
    fair = no_auth_table()
    fair_ctx = Context(hierarchy=hierarchy, scope="area-a", guards=trivial_guards())
    logs: list[Any] = []
    rates["mg"] = record(
        "microgov (auth off, trivial guards)",
        "apply",
        median_time(repeat, lambda: run_microgov(items, fair, fair_ctx, "anyone", False, logs)),
    )
    rates["mg_replay"] = record(
        "microgov (auth off, trivial guards)",
        "replay",
        median_time(repeat, lambda: run_microgov_replay(fair, logs)),
    )
    logs.clear()
    real_ctx = Context(hierarchy=hierarchy, scope="area-a")
    rates["mg_real"] = record(
        f"microgov (auth on, real guards; {sample:,} sampled) [info]",
        "apply",
        median_time(
            repeat,
            lambda: run_microgov(
                items[:sample], PROJECT, real_ctx, "party_secretary-a", True, logs
            ),
        ),
    )
    logs.clear()
    gc.collect()

    if transitions is None:
        print("  transitions is not installed: pip install transitions")
    else:
        tr_logs: list[Any] = []
        rates["tr_obj"] = record(
            f"transitions {transitions.__version__} (model per project)",
            "apply",
            median_time(repeat, lambda: run_transitions_per_object(n, tr_logs)),
        )
        rates["tr_replay"] = record(
            f"transitions {transitions.__version__} (model per project)",
            "replay",
            median_time(repeat, lambda: run_transitions_replay(tr_logs)),
        )
        tr_logs.clear()
        rates["tr_shared"] = record(
            f"transitions {transitions.__version__} (one shared model)",
            "apply",
            median_time(repeat, lambda: run_transitions_shared(n)),
        )
    gc.collect()

    if statemachine is None:
        print("  python-statemachine is not installed: pip install python-statemachine")
    else:
        version = statemachine.__version__
        sm_logs: list[Any] = []
        rates["sm_obj"] = record(
            f"python-statemachine {version} (machine per project, {sample:,} sampled)",
            "apply",
            median_time(repeat, lambda: run_statemachine_per_object(sample, sm_logs)),
        )
        rates["sm_replay"] = record(
            f"python-statemachine {version} (machine per project, {sample:,} sampled)",
            "replay",
            median_time(repeat, lambda: run_statemachine_replay(sm_logs)),
        )
        sm_logs.clear()
        rates["sm_shared"] = record(
            f"python-statemachine {version} (one shared machine, {sample:,} sampled)",
            "apply",
            median_time(repeat, lambda: run_statemachine_shared(sample)),
        )

    print("\nratios (microgov, auth off and trivial guards, ÷ baseline; > 1 means faster):")
    pairs = [
        ("apply  vs transitions per-object", "mg", "tr_obj"),
        ("apply  vs transitions shared", "mg", "tr_shared"),
        ("replay vs transitions per-object", "mg_replay", "tr_replay"),
        ("apply  vs python-statemachine per-object", "mg", "sm_obj"),
        ("apply  vs python-statemachine shared", "mg", "sm_shared"),
        ("replay vs python-statemachine per-object", "mg_replay", "sm_replay"),
    ]
    for label, a, b in pairs:
        if a in rates and b in rates:
            print(f"  {label:<44} {rates[a] / rates[b]:8.1f}×")

    print("\ngoals:")
    goals = [("microgov apply ≥ 200,000 events/s", rates["mg"] >= 200_000)]
    if "tr_obj" in rates:
        goals.append(
            ("microgov apply ≥ 5× transitions per-object", rates["mg"] >= 5 * rates["tr_obj"])
        )
        goals.append(
            ("microgov apply ≥ 5× transitions shared model", rates["mg"] >= 5 * rates["tr_shared"])
        )
    for label, met in goals:
        print(f"  {label:<52} {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
