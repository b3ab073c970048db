"""The benchmark's summary of the reconnect storm (B5), from results of the shape
tools/bench/run writes, without running anything: today's (with the storm's own window,
the machine's busy cores and the raw reconnect floor) and an older run's (none of them).
  b5_summary_test.py RUN_SCRIPT
"""
import sys
import unittest
from importlib.machinery import SourceFileLoader

bench = SourceFileLoader("bench_run", sys.argv.pop(1)).load_module()


def storm(server_phase, server_window, with_window=True):
    p = {"label": "b5", "step": "storm:1", "sockets": 10000, "rate": 1, "back_within_5s": 1.0,
         "back_ms": {"p99": 1700.0, "max": 1710.0}, "all_back_s": 1.7, "lost": 0, "resumed": 10000,
         "healthz_ms": {"p99": 90.0, "max": 120.0}, "management_healthz_ms": {"p99": 6.0},
         "processes": {n: {"cpu_us_per_op": v, "cpu_s": v / 100} for n, v in
                       (("server", server_phase), ("loadgen", 136), ("redis", 20))}}
    if with_window:
        p["window_processes"] = {n: {"cpu_us_per_op": v, "cpu_s": v / 100} for n, v in
                                 (("server", server_window), ("loadgen", 125), ("redis", 19))}
        p["machine"] = {"cores": 2, "window_s": 1.7, "busy_cores": 1.78, "steal_cores": 0.05}
    return p


def results(phases, floor=None):
    r = {"mode": "full", "sizes": {"reps": len(phases)}, "open_sessions": 10752,
         "machine": {"commit": "abc1234", "date": "2026-12-07 05:00 UTC", "nproc": 2, "cpu_model": "test",
                     "loadavg_at_start": ["0", "0", "0"], "loadavg_at_end": ["0", "0", "0"]},
         "scenarios": {"B3_large_B7_B5": {"phases": phases}}}
    if floor is not None:
        r["scenarios"]["reconnect_floor"] = floor
    r["summary"] = bench.summarise(r)
    return r


FLOOR = [{"sockets": 10000, "server_cpu_us_per_reconnect_median": 38.5,
          "client_cpu_us_per_reconnect_median": 58.2, "all_back_ms_median": 610.0}]


class StormSummary(unittest.TestCase):
    def test_cpu_per_reconnect_is_the_storms_own_window_and_judged_against_the_floor(self):
        r = results([storm(162, 152), storm(160, 150), storm(170, 157)], FLOOR)
        s = r["summary"]
        self.assertEqual(s["b5_server_cpu_us_per_reconnect"], 152)  # the window's median, not the phase's
        self.assertEqual(s["b5_cpu_span"], "drop to all back")
        text = bench.render(r)
        row = next(line for line in text.splitlines() if line.startswith("| B5 |"))
        self.assertIn("1.78 of 2 cores busy", row)
        self.assertIn("0.05 more taken by the hypervisor", row)
        self.assertIn("server 38.5 µs, client 58.2 µs", row)
        self.assertIn(f"{152 / 38.5:.2f} × server floor", row)
        self.assertIn("| B5 reconnect with resume (drop to all back) | 152 µs | 19 µs | 125 µs |", text)
        self.assertIn("| raw reconnect, same exchange (kernel floor) | 38.5 µs | – | 58.2 µs |", text)

    def test_an_older_run_without_window_or_floor_still_renders(self):
        r = results([storm(162, 0, with_window=False)])
        s = r["summary"]
        self.assertEqual(s["b5_lost"], 0)
        self.assertEqual(s["b5_cpu_span"], "whole phase")
        text = bench.render(r)
        row = next(line for line in text.splitlines() if line.startswith("| B5 |"))
        self.assertIn("| – | – |", row)  # no reference, no ratio
        self.assertNotIn("cores busy", row)
        self.assertIn("| B5 reconnect with resume (whole phase) | 162 µs | 20 µs | 136 µs |", text)


if __name__ == "__main__":
    unittest.main()
