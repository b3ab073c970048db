// Asio and Beast compiled once, here, instead of in every file that includes them
// (BOOST_ASIO_SEPARATE_COMPILATION / BOOST_BEAST_SEPARATE_COMPILATION): on two cores
// this is the largest single saving in build time.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
