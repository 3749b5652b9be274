// Shared by the op shape-rule tests: a graph whose node "n" must be refused.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "ir/verifier.h"

namespace oqnn::ir {

// infer_shapes refuses `g`, in a message naming node 'n' and containing `what`.
inline void expect_refused(Graph g, const std::string& what) {
  Status s = infer_shapes(g);
  ASSERT_FALSE(s.is_ok()) << what;
  EXPECT_NE(s.error().message.find("'n'"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find(what), std::string::npos) << s.error().message;
}

}  // namespace oqnn::ir
