// Boost.URL compiled once, here (its header-only mode: Debian ships no libboost_url for
// 1.81 outside libboost-url1.81-dev, and one translation unit is cheaper than a package).
// util/percent_encoding and http/query use it.
#include <boost/url/src.hpp>
