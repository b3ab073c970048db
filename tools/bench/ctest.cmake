# The benchmark suite's quick mode as a test (label bench), included by the root
# CMakeLists.txt when the tests are built. It builds the load generator itself (Release,
# into build/bench/tool, not part of this build), starts its own redis-server and this
# build's server on free ports, runs every scenario small and once, and fails on a
# correctness error only: an oversold session, a lost, duplicated or reordered live
# update, not exactly 5 bookings in a hot slot. It never asserts a speed. It runs alone,
# so its load cannot slow the timing-sensitive tests.
# The optimised server of tools/test (SP_PERF_SERVER) when there is one: the sanitizer
# build is too slow to bring hundreds of sockets up in time on a loaded 2-core machine.
add_test(NAME "bench: quick"
         COMMAND sh -c "exec \"$0\" --quick --server-binary \"\${SP_PERF_SERVER:-$1}\""
                 ${PROJECT_SOURCE_DIR}/tools/bench/run $<TARGET_FILE:sprechstunde>)
set_tests_properties("bench: quick" PROPERTIES LABELS bench TIMEOUT 900 RUN_SERIAL TRUE)
