#pragma once
#include "high/source.hpp" // the back-edge the check must report
