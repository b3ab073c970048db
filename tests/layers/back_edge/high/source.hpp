#pragma once
#include "low/sink.hpp"
