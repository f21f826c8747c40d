// Compact immutable JSON (cjson): everything a reader or writer of cached objects needs.
#pragma once

#include "langop/cjson/codec.hpp"
#include "langop/cjson/compare.hpp"
#include "langop/cjson/document.hpp"
#include "langop/cjson/key_table.hpp"
#include "langop/cjson/serialize.hpp"
#include "langop/cjson/value_view.hpp"
