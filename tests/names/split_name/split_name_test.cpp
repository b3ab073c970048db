// Not compiled: the input of the test that shows check_test_names.py finds a ';' in a
// test name, here in the second of two joined literals.
TEST_CASE("a name that reads well "
          "until a semicolon; then CTest splits it",
          "[fixture]")
{
}
