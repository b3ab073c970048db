// Asio and Beast compiled once, here, instead of in every file that includes them
// (BOOST_ASIO_SEPARATE_COMPILATION / BOOST_BEAST_SEPARATE_COMPILATION): on two cores
// this is the largest single saving in build time.
// GCC 12 at -O2 warns about boost::optional inside Beast's parser once it is inlined
// here (-Wmaybe-uninitialized, a known false positive); the code is Boost's, not ours.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
#pragma GCC diagnostic pop
