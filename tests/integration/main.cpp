// Catch's own main, plus one check after the tests: every answer the API gave them
// conforms to the OpenAPI document (see support/contract_recorder.hpp).
#define CATCH_CONFIG_RUNNER
#include "support/contract_recorder.hpp"

#include <catch2/catch.hpp>
#include <iostream>

int main(int argc, char* argv[])
{
    int failed = Catch::Session().run(argc, argv);
    std::string problems = sp::test::recorded_exchange_problems();
    if (!problems.empty()) {
        std::cerr << "The API answered outside its OpenAPI document (schema/http/routes.json):\n" << problems;
        return failed ? failed : 1;
    }
    return failed;
}
